package org.unicom4j.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.cpu.CpuBackend;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.KMeans;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.retrieval.kmeans.KMeansResult;

/**
 * The Java side of the k-means comparison with faiss.Kmeans (tools/bench/faiss_kmeans_bench.py) on base.npy of
 * tools/bench/faiss_make_data.py. Writes the initial centroids (our seeded random sample, from a run with 0
 * iterations) to {@code kmeans_init.npy}, so FAISS starts from the very same ones, then times a run of
 * {@code iterations} Lloyd updates on {@code threads} threads and writes its centroids to
 * {@code kmeans_unicom4j.npy}; the Python script evaluates both final objectives with one exact assignment.
 *
 * <p>Usage: {@code KMeansVsFaiss data=DIR [k=1024] [iterations=20] [threads=2] [seed=1234]}.
 */
public final class KMeansVsFaiss {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private KMeansVsFaiss() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>(Map.of("k", "1024", "iterations", "20", "threads", "2",
                "seed", "1234"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opt.put(kv[0], kv[1]);
        }
        Path dir = Path.of(opt.get("data"));
        int k = Integer.parseInt(opt.get("k")), iterations = Integer.parseInt(opt.get("iterations"));
        int threads = Integer.parseInt(opt.get("threads"));
        Vectors base = AnnBenchData.matrix(dir.resolve("base.npy"));
        KMeansConfig config = KMeansConfig.of(k).withSeed(Long.parseLong(opt.get("seed")));
        ForkJoinPool pool = new ForkJoinPool(threads);
        try (Backend backend = new CpuBackend(threads)) {
            KMeansResult init = pool.submit(() -> new KMeans(backend, config.withIterations(0), line -> { })
                    .fit(base)).get();
            NpyArray.ofFloats(init.centroids().data(), k, base.dim()).write(dir.resolve("kmeans_init.npy"));
            // warm-up (JIT) on the same data, then the timed run
            pool.submit(() -> new KMeans(backend, config.withIterations(2), line -> { }).fit(base)).get();
            long t = System.nanoTime(), c = OS.getProcessCpuTime();
            KMeansResult result = pool.submit(() -> new KMeans(backend, config.withIterations(iterations),
                    line -> { }).fit(base)).get();
            double seconds = (System.nanoTime() - t) / 1e9, cpu = (OS.getProcessCpuTime() - c) / 1e9;
            NpyArray.ofFloats(result.centroids().data(), k, base.dim()).write(dir.resolve("kmeans_unicom4j.npy"));
            System.out.printf("unicom4j k-means: %d x %d, k = %d, %d iterations (%d assignment passes), %d threads:"
                    + " %.2f s, %.3f s per iteration (process CPU %.3f s), objective %.6e (own, float32)%n",
                    base.rows(), base.dim(), k, result.iterations(), result.objectives().length, threads, seconds,
                    seconds / result.iterations(), cpu / result.iterations(), result.objective());
        }
        pool.shutdown();
    }
}
