package org.unicom4j.bench.vit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.cpu.CpuBackend;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitActivations;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitEmbedder;

/**
 * ViT-B/32 fp32 inference, batch 8 at 224 px: our CPU backend ({@link VitEmbedder}), ONNX Runtime (all graph
 * optimisations) and PyTorch, all on the same random weights and images and the same number of threads.
 * First checks that the three agree (max abs difference of the embeddings, also against a float64 run), then
 * alternates one batch of each per round, rotating the order, with a pause between contenders (100 ms unless
 * told), or with {@code --sequential} runs each contender's batches back to back, one contender after the other, and
 * reports min and median wall time, images/s, and CPU time per batch (ours: Java threads; ORT: this process;
 * PyTorch: its process, measured by itself).
 *
 * <p>Usage (from the repository root): {@code VitInferenceSideBySide [--dir bench/target/vit-b32] [--rounds 15]
 * [--warmup 3] [--threads 2] [--python /usr/bin/python3] [--pause-ms 100] [--sequential] [--no-ort]
 * [--no-torch]}.
 */
public final class VitInferenceSideBySide {
    private static final int SIZE = 224;

    private VitInferenceSideBySide() {
    }

    /** One contender: runs a batch and returns {wall ns, cpu ns}. */
    private interface Contender {
        long[] run() throws Exception;
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("dir", "rounds", "warmup", "threads", "python", "pause-ms"), Set.of("no-ort", "no-torch", "sequential"));
        Path dir = Path.of(args.get("dir", "bench/target/vit-b32"));
        int rounds = args.getInt("rounds", 15), warmup = args.getInt("warmup", 3), threads = args.getInt("threads", 2);
        int pauseMs = args.getInt("pause-ms", 100);
        String python = args.get("python", "/usr/bin/python3");
        VitBenchFiles files = VitBenchFiles.prepare(dir, python, 8);
        float[] images = files.images();
        int batch = images.length / (3 * SIZE * SIZE);
        System.out.println("load average at start: " + Args.loadAverage());

        List<String> names = new ArrayList<>();
        List<Contender> contenders = new ArrayList<>();
        List<float[]> outputs = new ArrayList<>();
        try (CpuBackend backend = new CpuBackend(threads);
             VisionTransformer model = new VisionTransformer(backend, VitConfig.B32)) {
            StateDictIo.load(model, files.weights());
            VitEmbedder embedder = new VitEmbedder(model, batch);
            System.out.println("unicom4j: " + backend.description());
            names.add("unicom4j cpu");
            outputs.add(embedder.embed(images, batch));
            contenders.add(() -> {
                long c0 = CpuClock.javaThreads(), w0 = System.nanoTime();
                embedder.embed(images, batch);
                long w1 = System.nanoTime(), c1 = CpuClock.javaThreads();
                return new long[] {w1 - w0, c1 - c0};
            });
            OrtVit ort = args.has("no-ort") ? null : new OrtVit(files.onnx(), threads);
            if (ort != null) {
                System.out.println("ONNX Runtime " + OrtVit.version() + ": CPU provider, ALL_OPT, " + threads
                        + " intra-op threads");
                names.add("ONNX Runtime");
                outputs.add(ort.embed(images, batch, SIZE));
                contenders.add(() -> {
                    long c0 = CpuClock.process(), w0 = System.nanoTime();
                    ort.embed(images, batch, SIZE);
                    long w1 = System.nanoTime(), c1 = CpuClock.process();
                    return new long[] {w1 - w0, c1 - c0};
                });
            }
            TorchWorker torch = args.has("no-torch") ? null : new TorchWorker(python, dir, threads, 32);
            if (torch != null) {
                System.out.println("PyTorch " + torch.version().replace(" ", ", threads "));
                names.add("PyTorch");
                outputs.add(files.torchOutput());
                contenders.add(torch::infer);
            }
            float[] unfolded = unfoldedOutput(backend, model, images, batch);
            checkAgreement(names, outputs, files.referenceOutput());
            System.out.printf("  (unicom4j without the folded head, VisionTransformer.forward in eval mode, vs float64 "
                    + "reference: %.3g)%n", maxAbsDiff(unfolded, files.referenceOutput()));

            List<Samples> samples = new ArrayList<>();
            for (String n : names) {
                samples.add(new Samples(n, rounds));
            }
            if (args.has("sequential")) {
                // Each contender alone, batch after batch: the throughput of a process that embeds continuously.
                for (int c = 0; c < contenders.size(); c++) {
                    for (int r = 0; r < rounds; r++) {
                        long[] t = contenders.get(c).run();
                        samples.get(c).add(t[0], t[1]);
                    }
                }
            } else {
                for (int r = 0; r < rounds; r++) {
                    for (int j = 0; j < contenders.size(); j++) {
                        int c = (r + j) % contenders.size(); // rotate who goes first
                        Thread.sleep(pauseMs);
                        long[] t = contenders.get(c).run();
                        samples.get(c).add(t[0], t[1]);
                    }
                }
            }
            System.out.println("load average at end: " + Args.loadAverage());
            report(samples, batch, warmup, rounds);
            if (ort != null) {
                ort.close();
            }
            if (torch != null) {
                torch.close();
            }
            embedder.close();
        }
    }

    /** The eval-mode forward with the BatchNorm head as four kernels, to tell the folding's rounding apart. */
    private static float[] unfoldedOutput(CpuBackend backend, VisionTransformer model, float[] images, int batch) {
        try (VitActivations act = VitActivations.forInference(backend, model.config(), batch);
             DeviceFloats x = backend.buffers().allocFloats(images.length)) {
            backend.buffers().upload(images, x);
            return backend.buffers().download(model.forward(x, batch, act, false));
        }
    }

    private static void checkAgreement(List<String> names, List<float[]> outputs, float[] reference) {
        double scale = maxAbs(reference);
        System.out.printf("agreement (max |a - b| over %d values; max |float64 reference| = %.3f):%n",
                reference.length, scale);
        boolean ok = true;
        for (int i = 0; i < names.size(); i++) {
            double d = maxAbsDiff(outputs.get(i), reference);
            ok &= d <= 1e-4 * scale;
            System.out.printf("  %-13s vs float64 reference  %.3g%n", names.get(i), d);
            for (int j = i + 1; j < names.size(); j++) {
                double dij = maxAbsDiff(outputs.get(i), outputs.get(j));
                ok &= dij <= 2e-4 * scale;
                System.out.printf("  %-13s vs %-13s         %.3g%n", names.get(i), names.get(j), dij);
            }
        }
        if (!ok) {
            throw new IllegalStateException("the contenders disagree by more than 1e-4 (2e-4 pairwise) of max |ref|: "
                    + "not the same model; nothing timed");
        }
    }

    private static void report(List<Samples> samples, int batch, int warmup, int rounds) {
        System.out.printf("%d rounds, first %d dropped; batch %d; ms per batch (images/s)%n", rounds, warmup, batch);
        System.out.printf("%-14s %20s %20s %12s %12s%n", "", "wall min", "wall median", "cpu min", "cpu median");
        for (Samples s : samples) {
            double min = s.wallMinMs(warmup), med = s.wallMedianMs(warmup);
            System.out.printf("%-14s %9.1f (%6.1f/s) %9.1f (%6.1f/s) %12.1f %12.1f%n", s.name(), min,
                    1e3 * batch / min, med, 1e3 * batch / med, s.cpuMinMs(warmup), s.cpuMedianMs(warmup));
        }
        Samples ours = samples.get(0);
        for (Samples s : samples.subList(1, samples.size())) {
            System.out.printf("unicom4j speed-up over %s: %.2fx (min), %.2fx (median), %.2fx (cpu min)%n", s.name(),
                    s.wallMinMs(warmup) / ours.wallMinMs(warmup), s.wallMedianMs(warmup) / ours.wallMedianMs(warmup),
                    s.cpuMinMs(warmup) / ours.cpuMinMs(warmup));
        }
    }

    static double maxAbs(float[] x) {
        double m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("outputs of " + a.length + " and " + b.length + " floats");
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
