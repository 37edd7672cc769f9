package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;

/**
 * Splits the columns of a rows x cols matrix into lane-aligned blocks, one contiguous range per thread, for
 * kernels that reduce over rows (bias gradient, BatchNorm, LayerNorm's parameter gradients): each thread owns
 * its columns outright, so partial sums never cross threads and results do not depend on the thread count.
 */
final class ColumnBlocks {
    /** The body of a loop over columns [from, to). */
    @FunctionalInterface
    interface Columns {
        void run(int from, int to);
    }

    private ColumnBlocks() {
    }

    /** Runs body on disjoint column ranges covering [0, cols); {@code workPerColumn} is the cost of one column. */
    static void forColumns(ParallelLoop loop, int cols, long workPerColumn, Columns body) {
        int blocks = (cols + LANES - 1) / LANES;
        loop.forRange(blocks, workPerColumn * LANES, (from, to) -> body.run(from * LANES, Math.min(cols, to * LANES)));
    }
}
