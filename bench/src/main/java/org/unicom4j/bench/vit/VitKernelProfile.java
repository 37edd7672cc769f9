package org.unicom4j.bench.vit;

import java.util.Random;
import java.util.Set;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.cpu.CpuBackend;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitActivations;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitEmbedder;
import org.unicom4j.model.vit.VitInitializer;

/**
 * Where the time of a ViT-B/32 forward (VitEmbedder, the inference path) or training step (forward + backward)
 * goes on the CPU backend: every kernel call timed by a {@link KernelProfiler}, summed over the measured
 * iterations and printed per batch, by kernel and by GEMM shape (with GFLOP/s per wall second and per CPU
 * second). Random weights (values do not change the kernels' work).
 *
 * <p>Usage: {@code VitKernelProfile [--train] [--batch 8 | 32 with --train] [--iters 5] [--warmup 2]
 * [--threads 2]}.
 */
public final class VitKernelProfile {
    private VitKernelProfile() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("batch", "iters", "warmup", "threads"), Set.of("train"));
        boolean train = args.has("train");
        int batch = args.getInt("batch", train ? 32 : 8), iters = args.getInt("iters", train ? 3 : 5);
        int warmup = args.getInt("warmup", train ? 1 : 2), threads = args.getInt("threads", 2);
        VitConfig c = VitConfig.B32;
        float[] images = new float[batch * c.channels() * c.imageSize() * c.imageSize()];
        Random random = new Random(7);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        System.out.println("load average at start: " + Args.loadAverage());
        try (CpuBackend backend = new CpuBackend(threads);
             VisionTransformer model = new VisionTransformer(backend, c)) {
            KernelProfiler profiler = new KernelProfiler(backend);
            VitInitializer.initializeFromScratch(model, 1);
            Runnable step;
            AutoCloseable resources;
            if (train) {
                VitActivations act = VitActivations.forTraining(backend, c, batch);
                DeviceFloats x = backend.buffers().allocFloats(images.length);
                DeviceFloats dOut = backend.buffers().allocFloats((long) batch * c.embedding());
                backend.buffers().upload(images, x);
                float[] r = new float[batch * c.embedding()];
                for (int i = 0; i < r.length; i++) {
                    r[i] = (float) random.nextGaussian();
                }
                backend.buffers().upload(r, dOut);
                step = () -> {
                    model.zeroGradients();
                    model.forward(x, batch, act, true);
                    model.backward(dOut, act);
                };
                resources = act;
            } else {
                VitEmbedder embedder = new VitEmbedder(model, batch);
                step = () -> embedder.embed(images, batch);
                resources = embedder;
            }
            for (int i = 0; i < warmup; i++) {
                step.run();
            }
            profiler.reset();
            long c0 = CpuClock.javaThreads(), w0 = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                step.run();
            }
            long wall = System.nanoTime() - w0, cpu = CpuClock.javaThreads() - c0;
            System.out.println("load average at end: " + Args.loadAverage());
            System.out.printf("%s, ViT-B/32 %s, batch %d, %d iterations after %d warm-up: %.1f ms wall, %.1f ms cpu "
                            + "per batch (%.1f images/s)%n", backend.description(), train ? "training step" : "inference",
                    batch, iters, warmup, wall / 1e6 / iters, cpu / 1e6 / iters, 1e9 * batch * iters / wall);
            print("kernel", profiler.kernels(), iters, wall);
            print("GEMM shape (op m x n x k)", profiler.gemmShapes(), iters, wall);
            resources.close();
        }
    }

    private static void print(String title, KernelTimes times, int iters, long wallTotal) {
        long cpuTotal = times.totalCpuNanos();
        System.out.printf("%n| %s | calls | wall ms/batch | share of wall | cpu ms/batch | share of cpu | GFLOP/s wall "
                + "| GFLOP/s cpu |%n|---|---|---|---|---|---|---|---|%n", title);
        for (KernelTimes.Entry e : times.entries()) {
            String gw = e.flops() > 0 ? String.format("%.1f", e.flops() / e.nanos()) : "";
            String gc = e.flops() > 0 && e.cpuNanos() > 0 ? String.format("%.1f", e.flops() / e.cpuNanos()) : "";
            System.out.printf("| %s | %d | %.1f | %.1f%% | %.1f | %.1f%% | %s | %s |%n", e.name(), e.calls() / iters,
                    e.nanos() / 1e6 / iters, 100.0 * e.nanos() / wallTotal, e.cpuNanos() / 1e6 / iters,
                    100.0 * e.cpuNanos() / cpuTotal, gw, gc);
        }
        System.out.printf("| (outside kernels) | | %.1f | %.1f%% | | | | |%n",
                (wallTotal - times.totalNanos()) / 1e6 / iters, 100.0 * (wallTotal - times.totalNanos()) / wallTotal);
    }
}
