package org.unicom4j.kernels.opencl;

/**
 * A family of kernels compiled from the same sources and launched on one queue: what every Cl* launcher shares.
 * One-dimensional launches use work-groups of {@link #group} items, per-row launches one group of
 * {@link #rowGroup} items per row (the kernels in rows.cl reduce a row within its group).
 */
abstract class ClKernels {
    final ClQueue queue;
    final OpenClTuning tuning;
    final int group;
    final int rowGroup;
    private final String options;
    private final String[] sources;

    ClKernels(ClQueue queue, OpenClTuning tuning, String options, String... sources) {
        this.queue = queue;
        this.tuning = tuning;
        this.group = tuning.group();
        this.rowGroup = tuning.rowGroup();
        this.options = options;
        this.sources = sources;
    }

    final ClLaunch launch(String kernel) {
        return queue.launch(kernel, options, sources);
    }

    /** Runs {@code launch} with one work-group of {@link #rowGroup} items per row; nothing for zero rows. */
    final void perRow(ClLaunch launch, int rows) {
        if (rows > 0) {
            launch.run(new long[] {(long) rows * rowGroup}, new long[] {rowGroup});
        }
    }
}
