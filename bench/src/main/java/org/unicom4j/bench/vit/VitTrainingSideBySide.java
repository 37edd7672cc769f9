package org.unicom4j.bench.vit;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.cpu.CpuBackend;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitActivations;
import org.unicom4j.model.vit.VitConfig;

/**
 * One ViT-B/32 training step (train-mode forward with batch statistics and stochastic depth, then backward of
 * the fixed scalar loss sum(out * R), gradients accumulated into zeroed buffers; no optimiser) at batch 32,
 * ours on the CPU backend against PyTorch (torch.autograd) in a child process, alternated step by step on the
 * same weights. Reports wall and CPU time per step and memory: ours as the exact arena sizes (the CPU
 * backend's arenas are Java float arrays, i.e. heap), the heap's peak and the peak resident set of this JVM;
 * PyTorch's as its peak resident set (getrusage) and the part above its resident set after loading the model.
 *
 * <p>Usage (from the repository root; give the JVM room, e.g. -Xmx6g): {@code VitTrainingSideBySide
 * [--dir bench/target/vit-b32] [--steps 4] [--warmup 1] [--batch 32] [--threads 2] [--python /usr/bin/python3]
 * [--no-torch]}.
 */
public final class VitTrainingSideBySide {
    private static final double MIB = 1024.0 * 1024.0;

    private VitTrainingSideBySide() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("dir", "steps", "warmup", "batch", "threads", "python"), Set.of("no-torch"));
        Path dir = Path.of(args.get("dir", "bench/target/vit-b32"));
        int steps = args.getInt("steps", 4), warmup = args.getInt("warmup", 1), batch = args.getInt("batch", 32);
        int threads = args.getInt("threads", 2);
        String python = args.get("python", "/usr/bin/python3");
        VitBenchFiles files = VitBenchFiles.prepare(dir, python, 8);
        VitConfig c = VitConfig.B32;
        System.out.println("load average at start: " + Args.loadAverage());
        double rssBefore = ProcessMemory.rssMib();
        try (CpuBackend backend = new CpuBackend(threads);
             VisionTransformer model = new VisionTransformer(backend, c);
             VitActivations act = VitActivations.forTraining(backend, c, batch);
             DeviceFloats images = backend.buffers().allocFloats(
                     (long) batch * c.channels() * c.imageSize() * c.imageSize());
             DeviceFloats dOut = backend.buffers().allocFloats((long) batch * c.embedding())) {
            StateDictIo.load(model, files.weights());
            model.gradients();
            Random random = new Random(11);
            backend.buffers().upload(gaussian(random, (int) images.length()), images);
            backend.buffers().upload(gaussian(random, (int) dOut.length()), dOut);
            long arenaFloats = 2 * model.layout().parameterCount() + model.layout().statisticCount()
                    + act.totalFloats() + images.length() + dOut.length();
            System.out.printf("unicom4j: %s; arenas: parameters %.0f MiB, gradients %.0f MiB, activations (training, "
                            + "batch %d) %.0f MiB, total %.0f MiB%n", backend.description(),
                    model.layout().parameterCount() * 4 / MIB, model.layout().parameterCount() * 4 / MIB, batch,
                    act.totalFloats() * 4 / MIB, arenaFloats * 4 / MIB);
            System.gc(); // the checkpoint's host arrays are garbage now
            double rssLoaded = ProcessMemory.rssMib();
            boolean reset = ProcessMemory.resetPeakRss();
            TorchWorker torch = args.has("no-torch") ? null : new TorchWorker(python, dir, threads, batch);
            if (torch != null) {
                System.out.println("PyTorch " + torch.version().replace(" ", ", threads "));
            }
            Samples ours = new Samples("unicom4j cpu", steps);
            Samples theirs = new Samples("PyTorch", steps);
            for (int s = 0; s < steps; s++) {
                for (int j = 0; j < 2; j++) {
                    Thread.sleep(100);
                    if ((s + j) % 2 == 0) {
                        long c0 = CpuClock.javaThreads(), w0 = System.nanoTime();
                        model.zeroGradients();
                        model.forward(images, batch, act, true);
                        model.backward(dOut, act);
                        long w1 = System.nanoTime(), c1 = CpuClock.javaThreads();
                        ours.add(w1 - w0, c1 - c0);
                        System.out.printf("  step %d unicom4j %.0f ms%n", s, (w1 - w0) / 1e6);
                    } else if (torch != null) {
                        long[] t = torch.train();
                        theirs.add(t[0], t[1]);
                        System.out.printf("  step %d PyTorch  %.0f ms%n", s, t[0] / 1e6);
                    }
                }
            }
            System.out.println("load average at end: " + Args.loadAverage());
            System.out.printf("%d steps, first %d dropped; batch %d; ms per step%n", steps, warmup, batch);
            System.out.printf("%-14s %10s %12s %10s %12s%n", "", "wall min", "wall median", "cpu min", "cpu median");
            for (Samples x : torch == null ? new Samples[] {ours} : new Samples[] {ours, theirs}) {
                System.out.printf("%-14s %10.0f %12.0f %10.0f %12.0f%n", x.name(), x.wallMinMs(warmup),
                        x.wallMedianMs(warmup), x.cpuMinMs(warmup), x.cpuMedianMs(warmup));
            }
            long maxHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
            System.out.printf("unicom4j memory: arenas %.0f MiB (heap); heap pools' peaks summed %.0f MiB (an upper "
                            + "bound, -Xmx %.0f MiB); RSS before the model %.0f MiB, after loading it %.0f MiB; "
                            + "peak RSS %s %.0f MiB%n", arenaFloats * 4 / MIB, ProcessMemory.heapPeakMib(),
                    maxHeap / MIB, rssBefore, rssLoaded, reset ? "during the steps" : "since start",
                    ProcessMemory.peakRssMib());
            if (torch != null) {
                long[] m = torch.memoryKib();
                System.out.printf("PyTorch memory: peak RSS during the steps %.0f MiB; RSS after loading the model "
                        + "%.0f MiB; peak above that %.0f MiB%n", m[0] / 1024.0, m[2] / 1024.0, (m[0] - m[2]) / 1024.0);
                System.out.printf("unicom4j speed-up over PyTorch: %.2fx (min), %.2fx (median), %.2fx (cpu min)%n",
                        theirs.wallMinMs(warmup) / ours.wallMinMs(warmup),
                        theirs.wallMedianMs(warmup) / ours.wallMedianMs(warmup),
                        theirs.cpuMinMs(warmup) / ours.cpuMinMs(warmup));
                torch.close();
            }
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }
}
