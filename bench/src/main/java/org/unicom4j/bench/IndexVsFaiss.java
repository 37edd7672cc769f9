package org.unicom4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.cpu.CpuBackend;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.CodeDistance;
import org.unicom4j.retrieval.index.FlatIndex;
import org.unicom4j.retrieval.index.IvfPqIndex;
import org.unicom4j.retrieval.index.PqIndex;
import org.unicom4j.retrieval.index.ProductQuantizer;
import org.unicom4j.retrieval.index.Similarity;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.retrieval.lucene.PersistentVectorIndex;

/**
 * The Java side of the index comparison with FAISS (tools/bench/faiss_index_bench.py), on the same files
 * (tools/bench/faiss_make_data.py) and with the same settings: flat inner-product search on the cpu backend, PQ
 * (each M of {@code m} with each code size of {@code nbits}, ADC: the vector scan on byte tables, and for reference the
 * plain float table scan with {@code plain=true}) and IVF-PQ (the first M, 8-bit codes) trained on the first
 * {@code train} rows with 25 k-means iterations, and the Lucene
 * HNSW index (M = 16, beam 100, one segment) at several candidate counts. Prints one markdown row per index:
 * build seconds, queries/s (all queries at once, best of {@code repeats}), process CPU milliseconds per query
 * (all threads, JIT and GC included; the cheapest run), recall@10 against gt.npy. All work
 * runs on {@code threads} threads: the backend's pool and a fork-join pool for the host-side scans and the
 * Lucene queries.
 *
 * <p>Usage: {@code IndexVsFaiss data=DIR [threads=2] [m=16] [nbits=8] [plain=false] [nlist=1024] [nprobe=1,8,32]
 * [candidates=10,40,100] [train=65536] [repeats=3] [skip=flat,pq,ivf,lucene,quantized]}; m and nbits take
 * comma-separated lists.
 */
public final class IndexVsFaiss {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private IndexVsFaiss() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>(Map.of("threads", "2", "m", "16", "nlist", "1024", "nprobe",
                "1,8,32", "candidates", "10,40,100", "train", "65536", "repeats", "3", "skip", ""));
        opt.put("nbits", "8");
        opt.put("plain", "false");
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opt.put(kv[0], kv[1]);
        }
        int threads = Integer.parseInt(opt.get("threads")), m = Integer.parseInt(opt.get("m").split(",")[0]);
        int repeats = Integer.parseInt(opt.get("repeats"));
        String skip = opt.get("skip");
        AnnBenchData data = AnnBenchData.load(Path.of(opt.get("data")));
        Vectors base = data.base(), queries = data.queries(), train = data.trainingRows(
                Integer.parseInt(opt.get("train")));
        System.out.printf("%d x %d base, %d queries, %d threads%n", base.rows(), base.dim(), queries.rows(),
                threads);
        System.out.println("| library | index | build s | queries/s | CPU ms / query | recall@10 |");
        System.out.println("|---|---|---|---|---|---|");
        ForkJoinPool pool = new ForkJoinPool(threads);
        Backend backend = new CpuBackend(threads);

        long t = System.nanoTime();
        if (!skip.contains("flat")) {
            try (FlatIndex flat = new FlatIndex(backend, base.dim(), Similarity.INNER_PRODUCT)) {
                flat.add(base);
                double build = seconds(t);
                report(data, "FlatIndex inner product", build, repeats, pool, () -> flat.search(queries, 10));
            }
        }

        if (!skip.contains("pq")) {
            for (String subspaces : opt.get("m").split(",")) {
                for (String bits : opt.get("nbits").split(",")) {
                    productQuantizer(data, backend, pool, train, Integer.parseInt(subspaces), Integer.parseInt(bits),
                            Boolean.parseBoolean(opt.get("plain")), repeats);
                }
            }
        }

        if (!skip.contains("ivf")) {
            int nlist = Integer.parseInt(opt.get("nlist"));
            t = System.nanoTime();
            IvfPqIndex ivf = pool.submit(() -> IvfPqIndex.train(backend, train, KMeansConfig.of(nlist), m,
                    KMeansConfig.of(256), line -> { })).get();
            ivf.add(base);
            double build = seconds(t);
            for (String probes : opt.get("nprobe").split(",")) {
                int nprobe = Integer.parseInt(probes);
                report(data, "IvfPqIndex nlist=" + nlist + " M=" + m + " nprobe=" + nprobe, build, repeats, pool,
                        () -> ivf.search(queries, 10, nprobe));
            }
        }

        for (boolean quantized : new boolean[] {false, true}) {
            if (skip.contains("lucene") || (quantized && skip.contains("quantized"))) {
                continue;
            }
            Path dir = Files.createTempDirectory("lucene-bench");
            try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, base.dim(), "bench",
                    quantized, Integer.MAX_VALUE)) {
                t = System.nanoTime();
                for (int i = 0; i < base.rows(); i++) {
                    index.add(Integer.toString(i), 0, base.row(i));
                }
                index.forceMerge();
                double build = seconds(t);
                for (String c : opt.get("candidates").split(",")) {
                    int candidates = Integer.parseInt(c);
                    report(data, "Lucene HNSW " + (quantized ? "int7-quantised " : "float32 ")
                            + "M=16 beam=100 candidates=" + candidates, build, repeats, pool,
                            () -> luceneSearch(index, queries, candidates));
                }
            } finally {
                deleteTree(dir);
            }
        }
        pool.shutdown();
        backend.close();
    }

    private static void productQuantizer(AnnBenchData data, Backend backend, ForkJoinPool pool, Vectors train, int m,
                                         int bits, boolean plain, int repeats) throws Exception {
        long t = System.nanoTime();
        ProductQuantizer pq = pool.submit(() -> ProductQuantizer.train(backend, train, m, KMeansConfig.of(1 << bits),
                line -> { })).get();
        PqIndex index = new PqIndex(backend, pq);
        index.add(data.base());
        double build = seconds(t);
        String name = "PqIndex M=" + m + " x " + bits + " bit (ADC)";
        report(data, name + ", byte-table vector scan", build, repeats, pool,
                () -> index.searchAsymmetric(data.queries(), 10));
        if (plain) {
            report(data, name + ", plain float scan", build, repeats, pool,
                    () -> index.searchByPlainScan(data.queries(), 10, CodeDistance.ASYMMETRIC_SQUARED_L2));
        }
    }

    private static Neighbours luceneSearch(PersistentVectorIndex index, Vectors queries, int candidates) {
        int[][] found = new int[queries.rows()][];
        IntStream.range(0, queries.rows()).parallel().forEach(q -> found[q] = index.search(queries.row(q), 10,
                candidates).stream().mapToInt(h -> Integer.parseInt(h.path())).toArray());
        return Neighbours.ofRankings(found, index.size());
    }

    private static void report(AnnBenchData data, String name, double build, int repeats, ForkJoinPool pool,
                               Supplier<Neighbours> search) throws Exception {
        double best = Double.MAX_VALUE, cpu = Double.MAX_VALUE;
        Neighbours result = null;
        for (int r = 0; r < repeats; r++) {
            long t = System.nanoTime(), c = OS.getProcessCpuTime();
            result = pool.submit(search::get).get();
            best = Math.min(best, seconds(t));
            cpu = Math.min(cpu, (OS.getProcessCpuTime() - c) / 1e9);
        }
        int[][] found = new int[result.queries()][];
        for (int q = 0; q < found.length; q++) {
            found[q] = result.ranking(q);
        }
        System.out.printf("| unicom4j | %s | %.1f | %,.0f | %.3f | %.3f |%n", name, build, result.queries() / best,
                1000 * cpu / result.queries(), data.recallAt10(found));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
