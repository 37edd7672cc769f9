package org.unicom4j.kernels.cpu;

/**
 * Cuts images [B, C, H, W] into patch rows laid out like a Conv2d weight [C, p, p] (see
 * {@link org.unicom4j.kernels.Layers#patchify}): each image row segment of p pixels is one contiguous copy.
 * Split over threads by (image, row of tiles).
 */
final class CpuPatchify {
    private final ParallelLoop loop;

    CpuPatchify(ParallelLoop loop) {
        this.loop = loop;
    }

    void patchify(CpuFloats images, CpuFloats patches, int batch, int channels, int height, int width, int patch) {
        float[] iv = images.array(), pv = patches.array();
        int io = images.offset(), po = patches.offset();
        int gh = height / patch, gw = width / patch, p = patch;
        int rowLength = channels * p * p;
        loop.forRange(batch * gh, (long) channels * p * width, (from, to) -> {
            for (int t = from; t < to; t++) {
                int b = t / gh, gy = t % gh;
                for (int c = 0; c < channels; c++) {
                    for (int ky = 0; ky < p; ky++) {
                        int srcRow = io + ((b * channels + c) * height + gy * p + ky) * width;
                        int dstCol = c * p * p + ky * p;
                        for (int gx = 0; gx < gw; gx++) {
                            int tile = (b * gh + gy) * gw + gx;
                            System.arraycopy(iv, srcRow + gx * p, pv, po + tile * rowLength + dstCol, p);
                        }
                    }
                }
            }
        });
    }
}
