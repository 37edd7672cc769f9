package org.unicom4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.retrieval.Vectors;

/**
 * The files tools/bench/faiss_make_data.py writes, shared with the FAISS scripts so both sides search the same
 * vectors: base.npy and queries.npy (float32, L2-normalised) and gt.npy (exact inner-product top 100, int64).
 */
record AnnBenchData(Vectors base, Vectors queries, int[][] groundTruth) {

    static AnnBenchData load(Path dir) throws IOException {
        Vectors base = matrix(dir.resolve("base.npy"));
        Vectors queries = matrix(dir.resolve("queries.npy"));
        NpyArray gt = NpyArray.read(dir.resolve("gt.npy"));
        long[] ids = gt.toLongs();
        int nq = (int) gt.shape()[0], width = (int) gt.shape()[1];
        int[][] truth = new int[nq][width];
        for (int q = 0; q < nq; q++) {
            for (int r = 0; r < width; r++) {
                truth[q][r] = (int) ids[q * width + r];
            }
        }
        return new AnnBenchData(base, queries, truth);
    }

    static Vectors matrix(Path file) throws IOException {
        NpyArray a = NpyArray.read(file);
        if (a.shape().length != 2) {
            throw new IllegalArgumentException(file + ": shape " + Arrays.toString(a.shape())
                    + "; expected [rows, dim]");
        }
        return new Vectors(a.toFloats(), (int) a.shape()[0], (int) a.shape()[1]);
    }

    /** Mean over queries of |found top 10 ∩ exact top 10| / 10 (the FAISS scripts compute the same). */
    double recallAt10(int[][] found) {
        long hits = 0;
        for (int q = 0; q < found.length; q++) {
            Set<Integer> truth = new HashSet<>();
            for (int r = 0; r < 10; r++) {
                truth.add(groundTruth[q][r]);
            }
            for (int r = 0; r < Math.min(10, found[q].length); r++) {
                if (truth.contains(found[q][r])) {
                    hits++;
                }
            }
        }
        return hits / (10.0 * found.length);
    }

    /** The first {@code rows} base vectors (the training set of the quantisers, as on the FAISS side). */
    Vectors trainingRows(int rows) {
        int n = Math.min(rows, base.rows()), d = base.dim();
        return new Vectors(Arrays.copyOf(base.data(), n * d), n, d);
    }
}
