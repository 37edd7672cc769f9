package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An {@code evaluate} stage: leave-one-out retrieval on {@code data.eval} with its true labels (spec unicom.md
 * section 6: L2-normalise, rank every other image by Euclidean distance, Recall@K and mAP@R). Writes
 * {@code result.json} with the metrics and {@code neighbours.npy} (int32 [images, 8]: each image's nearest
 * others, best first).
 *
 * @param of       what is evaluated: {@code model} (the current model's embeddings, default), {@code pixels}
 *                 (the raw images) or {@code features} (the last features stage's)
 * @param title    how reports name the row (default: the stage's name)
 * @param recallAt the K of Recall@K (default 1, 2, 4, 8)
 */
public record EvaluateStageSpec(String name, String of, String title, int[] recallAt) implements StageSpec {
    static final int[] DEFAULT_K = {1, 2, 4, 8};

    static EvaluateStageSpec read(ConfigNode n, String name) {
        return new EvaluateStageSpec(name, n.choice("of", "model", "model", "pixels", "features"),
                n.text("title", name), n.integers("recallAt", DEFAULT_K, 1, 1 << 20));
    }

    @Override
    public long seed() {
        return 0; // deterministic: nothing random
    }

    @Override
    public String type() {
        return "evaluate";
    }

    @Override
    public int[] recallAt() {
        return recallAt.clone();
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = StageSpec.header(this).put("of", of).put("title", title);
        var ks = n.putArray("recallAt");
        for (int k : recallAt) {
            ks.add(k);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvaluateStageSpec e && name.equals(e.name) && of.equals(e.of) && title.equals(e.title)
                && java.util.Arrays.equals(recallAt, e.recallAt);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, of, title, java.util.Arrays.hashCode(recallAt));
    }
}
