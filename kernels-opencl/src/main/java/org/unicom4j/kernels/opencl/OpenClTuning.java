package org.unicom4j.kernels.opencl;

/**
 * Work-group shapes per device type. GPUs get local-memory tiles and many work-items per row; CPU devices
 * (PoCL) get barrier-free kernels with coarse work-items, because PoCL spills every value that lives across
 * a barrier to memory and runs a work-group's items as a loop on one core.
 *
 * @param localTiles GEMM-like kernels stage tiles in local memory (16 x 16 work-items, 64 x 64 outputs)
 *                   instead of packing blocks per work-item (32 x 16 outputs, see tiles.cl)
 * @param tileRows   work-items along M of a GEMM tile when {@code localTiles} (16, or 8 on small devices)
 * @param rowGroup   work-items that cooperate on one row in row-wise reductions (a power of two)
 * @param group      work-group size of element-wise kernels
 */
public record OpenClTuning(boolean localTiles, int tileRows, int rowGroup, int group) {

    public OpenClTuning {
        if (tileRows != 8 && tileRows != 16) {
            throw new IllegalArgumentException("tileRows must be 8 or 16, got " + tileRows);
        }
        if (rowGroup < 1 || Integer.bitCount(rowGroup) != 1 || group < 1) {
            throw new IllegalArgumentException("rowGroup must be a power of two and group positive, got "
                    + rowGroup + " and " + group);
        }
    }

    /** The shapes for a GPU whose work-groups hold at most {@code maxWorkGroup} items. */
    public static OpenClTuning gpu(long maxWorkGroup) {
        int rows = maxWorkGroup >= 256 ? 16 : 8;
        int perRow = (int) Math.min(256, Integer.highestOneBit((int) Math.min(maxWorkGroup, 1 << 20)));
        return new OpenClTuning(true, rows, perRow, perRow);
    }

    /** The shapes for a CPU device: one work-item per row, element-wise groups of 64 (fewer if need be). */
    public static OpenClTuning cpu(long maxWorkGroup) {
        return new OpenClTuning(false, 16, 1, (int) Math.min(64, Integer.highestOneBit((int) Math.min(maxWorkGroup,
                1 << 20))));
    }

    /** GPU shapes for GPUs and accelerators whose groups hold 16 x 8 items; the CPU shapes otherwise. */
    public static OpenClTuning forDevice(OpenClDevice device) {
        boolean tiles = device.kind() != OpenClDevice.Kind.CPU && device.maxWorkGroupSize() >= 128;
        return tiles ? gpu(device.maxWorkGroupSize()) : cpu(device.maxWorkGroupSize());
    }

    /** The -D options every program of this backend is built with. */
    String buildOptions() {
        return "-D LX=16 -D LY=" + tileRows + " -D ROW_GROUP=" + rowGroup;
    }
}
