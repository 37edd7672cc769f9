package org.unicom4j.cli.eval;

import java.util.Arrays;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.retrieval.embeddings.ManifestEntry;
import org.unicom4j.retrieval.Vectors;

/** The rows of an embedding set in one split of its manifest ("query", "gallery"), their labels and vectors. */
final class SplitRows {
    private SplitRows() {
    }

    static int[] rowsOf(EmbeddingSet set, String split) {
        return set.entries().stream().filter(e -> e.split().equals(split)).mapToInt(ManifestEntry::row).toArray();
    }

    static int[] labels(EmbeddingSet set, int[] rows) {
        return Arrays.stream(rows).map(r -> set.entries().get(r).label()).toArray();
    }

    static Vectors rows(Vectors v, int[] rows) {
        float[] out = new float[rows.length * v.dim()];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(v.data(), rows[i] * v.dim(), out, i * v.dim(), v.dim());
        }
        return new Vectors(out, rows.length, v.dim());
    }
}
