package org.unicom4j.bench.vit;

import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitEmbedder;
import org.unicom4j.model.vit.VitInitializer;

/**
 * ViT-B/32 fp32 inference on any backend, alone: random from-scratch weights and random 224 px images (no export,
 * no other runtime; the numbers are those of real weights, which cost the same), {@code rounds} batches back to
 * back, the first {@code warmup} dropped. Prints one line, {@code vit-b32 ...: min X ms, median Y ms, Z images/s}.
 * For the device check (tools/device/check.sh); {@link VitInferenceSideBySide} compares with ONNX Runtime and
 * PyTorch on the CPU.
 *
 * <p>Usage: {@code VitInferenceThroughput [--backend opencl] [--batch 32] [--rounds 12] [--warmup 3]}.
 */
public final class VitInferenceThroughput {
    private static final int SIZE = 224;

    private VitInferenceThroughput() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv, Set.of("backend", "batch", "rounds", "warmup"), Set.of());
        String name = args.get("backend", "cpu");
        int batch = args.getInt("batch", 32), rounds = args.getInt("rounds", 12), warmup = args.getInt("warmup", 3);
        float[] images = new float[batch * 3 * SIZE * SIZE];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        try (Backend backend = Backends.open(name);
             VisionTransformer model = new VisionTransformer(backend, VitConfig.B32);
             VitEmbedder embedder = new VitEmbedder(model, batch)) {
            VitInitializer.initializeFromScratch(model, 3232);
            Samples samples = new Samples(name, rounds);
            for (int r = 0; r < rounds; r++) {
                long c0 = CpuClock.javaThreads(), w0 = System.nanoTime();
                embedder.embed(images, batch); // includes the upload and the download of the embeddings
                samples.add(System.nanoTime() - w0, CpuClock.javaThreads() - c0);
            }
            double median = samples.wallMedianMs(warmup);
            System.out.printf(Locale.ROOT, "vit-b32 %s batch %d: min %.2f ms, median %.2f ms, %.1f images/s%n",
                    backend.description(), batch, samples.wallMinMs(warmup), median, batch * 1000 / median);
        }
    }
}
