package org.unicom4j.kernels.reference;

import java.util.Comparator;
import java.util.stream.IntStream;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.spi.SearchKernels;

/** Top-k by sorting each row; distances as sums of squared differences (not the norms trick). */
final class ReferenceSearch implements SearchKernels {

    @Override
    public void topK(DeviceFloats x, int rows, int cols, int k, boolean largest, DeviceFloats values,
                     DeviceInts indices) {
        HostFloats xv = new HostFloats(x), out = new HostFloats(values);
        HostInts idx = new HostInts(indices);
        for (int r = 0; r < rows; r++) {
            long base = (long) r * cols;
            Comparator<Integer> byValue = Comparator.comparingDouble(c -> xv.get(base + c));
            // best first; equal values keep the lower column first (the sort is stable over ascending columns)
            int[] order = IntStream.range(0, cols).boxed().sorted(largest ? byValue.reversed() : byValue)
                    .mapToInt(Integer::intValue).toArray();
            for (int t = 0; t < k; t++) {
                out.set((long) r * k + t, xv.get(base + order[t]));
                idx.set((long) r * k + t, order[t]);
            }
        }
    }

    @Override
    public void squaredL2Distances(DeviceFloats x, DeviceFloats y, DeviceFloats out, int n, int m, int d) {
        HostFloats xv = new HostFloats(x), yv = new HostFloats(y), ov = new HostFloats(out);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int t = 0; t < d; t++) {
                    double diff = xv.get((long) i * d + t) - yv.get((long) j * d + t);
                    sum += diff * diff;
                }
                ov.set((long) i * m + j, sum);
            }
        }
    }
}
