package org.unicom4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unicom4j.data.idx.IdxArray;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.cpu.CpuBackend;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.codeindex.CodeDistanceRows;
import org.unicom4j.retrieval.codeindex.CodeIndex;
import org.unicom4j.retrieval.codeindex.CodeIndexExpectation;
import org.unicom4j.retrieval.codeindex.CodeItems;
import org.unicom4j.retrieval.index.CodeDistance;
import org.unicom4j.retrieval.index.ProductQuantizer;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.retrieval.metrics.ExactDistanceRows;
import org.unicom4j.retrieval.metrics.HashingEvaluation;
import org.unicom4j.retrieval.metrics.HashingReport;
import org.unicom4j.retrieval.metrics.HashingScores;

/**
 * The SSCQ issue's baseline (a) with our own PQ: Fashion-MNIST pixels scaled to [0, 1] and L2-normalised, product
 * quantisation with K = 16 centroids per subspace (4-bit codes) at M = 4, 8, 16 (16, 32, 64 bits) trained by
 * k-means on the 60,000 training images, which are also the database (as codes); the 10,000 test images query it
 * as continuous vectors; the hashing protocol (mAP@1000, P@N, precision-recall curve) for each code length and for
 * the float pixels themselves. Each code index is saved to OUT/pq-BITS.u4jc and evaluated as opened from there.
 * Prints a table and writes OUT/hashing.json and OUT/precision-recall.png.
 *
 * <p>Usage: {@code FashionMnistPqBaseline [dir=/usr/share/datasets/fashion-mnist] [m=4,8,16] [iterations=25]
 * [seed=1234] [distance=asymmetric-squared-l2] [threads=2] [out=runs/hashing-baseline]}.
 */
public final class FashionMnistPqBaseline {
    private FashionMnistPqBaseline() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>(Map.of("dir", "/usr/share/datasets/fashion-mnist", "m", "4,8,16",
                "iterations", "25", "seed", "1234", "distance", "asymmetric-squared-l2", "threads", "2",
                "out", "runs/hashing-baseline"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opt.put(kv[0], kv[1]);
        }
        Path dir = Path.of(opt.get("dir"));
        Vectors database = pixels(dir.resolve("train-images-idx3-ubyte.gz"));
        Vectors queries = pixels(dir.resolve("t10k-images-idx3-ubyte.gz"));
        int[] databaseLabels = IdxArray.read(dir.resolve("train-labels-idx1-ubyte.gz")).toInts();
        int[] queryLabels = IdxArray.read(dir.resolve("t10k-labels-idx1-ubyte.gz")).toInts();
        CodeDistance distance = CodeDistance.parse(opt.get("distance"));
        List<HashingScores> results = new ArrayList<>();
        Map<String, Object> seconds = new LinkedHashMap<>();
        try (Backend backend = new CpuBackend(Integer.parseInt(opt.get("threads")))) {
            for (String part : opt.get("m").split(",")) {
                int m = Integer.parseInt(part);
                long t = System.nanoTime();
                KMeansConfig config = KMeansConfig.of(16).withIterations(Integer.parseInt(opt.get("iterations")))
                        .withSeed(Long.parseLong(opt.get("seed")));
                ProductQuantizer pq = ProductQuantizer.train(backend, database, m, config, line -> { });
                CodeIndex built = CodeIndex.encode(backend, "pixels", pq, database,
                        CodeItems.ofLabels(databaseLabels), distance);
                Path file = Path.of(opt.get("out"), "pq-" + built.bits() + ".u4jc");
                built.save(file);
                CodeIndex index = CodeIndex.open(file, new CodeIndexExpectation("pixels", built.bits()));
                double train = (System.nanoTime() - t) / 1e9;
                t = System.nanoTime();
                String name = "PQ " + index.bits() + " bits (M=" + m + ", K=16), " + distance.label();
                results.add(HashingEvaluation.evaluate(name, new CodeDistanceRows(index, queries, distance),
                        queryLabels, databaseLabels));
                seconds.put(name, Map.of("train_encode_save_open", train, "evaluate", (System.nanoTime() - t) / 1e9));
                System.out.printf("%s: mAP@1000 %.4f (train, encode, save, open %.1f s; evaluate %.1f s)%n", name,
                        results.getLast().map(), train, (System.nanoTime() - t) / 1e9);
            }
            long t = System.nanoTime();
            try (ExactDistanceRows exact = new ExactDistanceRows(backend, queries, database)) {
                results.add(HashingEvaluation.evaluate("float pixels, squared L2", exact, queryLabels,
                        databaseLabels));
            }
            seconds.put("float pixels, squared L2", Map.of("evaluate", (System.nanoTime() - t) / 1e9));
        }
        System.out.print(HashingReport.table(results));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("protocol", "hashing");
        settings.put("data", "Fashion-MNIST pixels / 255, L2-normalised; queries 10,000 test, database 60,000 train");
        settings.put("options", opt);
        settings.put("seconds", seconds);
        Path out = Path.of(opt.get("out"));
        HashingReport.write(out, "Fashion-MNIST, PQ on pixels (K = 16)", settings, results);
        System.out.println("wrote " + out.resolve(HashingReport.JSON) + " and " + out.resolve(HashingReport.CURVE_PNG));
    }

    /** Images [n, 28, 28] as rows of 784 pixels / 255, each row L2-normalised. */
    private static Vectors pixels(Path file) throws java.io.IOException {
        IdxArray images = IdxArray.read(file);
        int[] dims = images.dims();
        float[] x = images.toFloats();
        for (int i = 0; i < x.length; i++) {
            x[i] /= 255f;
        }
        return L2Norm.normalized(new Vectors(x, dims[0], dims[1] * dims[2]));
    }
}
