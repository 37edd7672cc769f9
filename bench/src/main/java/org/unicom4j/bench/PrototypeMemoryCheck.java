package org.unicom4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Margin;
import org.unicom4j.training.loss.SampledMarginSoftmax;
import org.unicom4j.training.optim.AdamW;
import org.unicom4j.training.optim.ParameterGroup;
import org.unicom4j.training.random.SplitMix64;

/**
 * Does the pre-training prototype matrix fit? Builds the Unicom loss at the paper's scale (1,000,000 classes x
 * 512 dims, spec section 3-4) with its gradient and the AdamW moments of the prototypes (four C x De float
 * matrices, 8.2 GB), runs a few steps on random embeddings and labels (class rate 0.1, d' = 256, batch 256,
 * ArcFace s 64 m 0.3) and reports the peak heap, the peak resident set and the time per step, split into the
 * loss (sampling, fused cosine logits, margin softmax, backward) and the dense AdamW step over all prototypes.
 *
 * <p>Usage: {@code PrototypeMemoryCheck [classes=1000000] [embDim=512] [sampledDims=256] [classRate=0.1]
 * [batch=256] [steps=6] [backend=cpu]}; run with -Xmx16g.
 */
public final class PrototypeMemoryCheck {
    private PrototypeMemoryCheck() {
    }

    public static void main(String[] args) throws IOException {
        int classes = arg(args, 0, 1_000_000);
        int embDim = arg(args, 1, 512);
        int sampledDims = arg(args, 2, 256);
        double classRate = args.length > 3 ? Double.parseDouble(args[3]) : 0.1;
        int batch = arg(args, 4, 256);
        int steps = arg(args, 5, 6);
        String backendName = args.length > 6 ? args[6] : "cpu";
        System.out.printf(Locale.ROOT, "prototypes %,d x %d, d' %d, class rate %.2f, batch %d, %d steps, -Xmx %.1f GB%n",
                classes, embDim, sampledDims, classRate, batch, steps, Runtime.getRuntime().maxMemory() / 1e9);
        long t0 = System.nanoTime();
        try (Backend backend = Backends.open(backendName);
             SampledMarginSoftmax loss = new SampledMarginSoftmax(backend, classes, embDim, sampledDims, classRate,
                     Margin.arcFace(64f, 0.3f), batch);
             AdamW optimizer = new AdamW(backend, List.of(new ParameterGroup("prototypes", loss.prototypes(),
                     loss.prototypeGradient(), 1f, 0.05f)), 0.999f, 1e-8f);
             DeviceFloats embeddings = backend.buffers().allocFloats((long) batch * embDim);
             DeviceFloats dEmbeddings = backend.buffers().allocFloats((long) batch * embDim)) {
            loss.initPrototypes(1, 0.01);
            System.out.printf(Locale.ROOT, "backend %s; allocated and initialised in %.1f s; RSS %s%n",
                    backend.description(), (System.nanoTime() - t0) / 1e9, rss("VmRSS"));
            SplittableRandom data = new SplittableRandom(2);
            SplitMix64 sampling = new SplitMix64(3);
            float[] host = new float[batch * embDim];
            int[] labels = new int[batch];
            double[] lossMs = new double[steps], adamMs = new double[steps];
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < host.length; i++) {
                    host[i] = (float) data.nextGaussian();
                }
                for (int i = 0; i < batch; i++) {
                    labels[i] = data.nextInt(classes);
                }
                backend.buffers().upload(host, embeddings);
                long a = System.nanoTime();
                float value = loss.forwardBackward(embeddings, labels, batch, dEmbeddings, sampling);
                backend.finish();
                long b = System.nanoTime();
                optimizer.step(1e-3f, 0.9f);
                backend.finish();
                long c = System.nanoTime();
                lossMs[s] = (b - a) / 1e6;
                adamMs[s] = (c - b) / 1e6;
                System.out.printf(Locale.ROOT, "step %d: loss %.4f, %d classes sampled, loss fwd+bwd %.0f ms, "
                        + "AdamW %.0f ms%n", s + 1, value, loss.lastSampledClasses(), lossMs[s], adamMs[s]);
            }
            System.out.printf(Locale.ROOT, "median of steps 2..%d: loss fwd+bwd %.0f ms, AdamW %.0f ms, total %.0f ms"
                    + "/step%n", steps, median(lossMs), median(adamMs), median(lossMs) + median(adamMs));
        }
        System.out.printf(Locale.ROOT, "peak heap %.2f GB (sum of pool peaks), peak RSS %s, C x De x 4 floats x 4 "
                + "matrices = %.2f GB%n", peakHeap() / 1e9, rss("VmHWM"), 4.0 * classes * embDim * 4 / 1e9);
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    /** Median of all but the first (warm-up) step. */
    private static double median(double[] v) {
        double[] rest = Arrays.copyOfRange(v, v.length > 1 ? 1 : 0, v.length);
        Arrays.sort(rest);
        return rest[rest.length / 2];
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** A line of /proc/self/status (VmRSS, VmHWM = peak), or "n/a" off Linux. */
    private static String rss(String key) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return "n/a";
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(key + ":")) {
                long kb = Long.parseLong(line.replaceAll("\\D", ""));
                return String.format(Locale.ROOT, "%.2f GB", kb / 1e6 * 1.024);
            }
        }
        return "n/a";
    }
}
