package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An {@code evaluate} stage with the eval images' true labels, by one of two protocols:
 * <ul>
 * <li>{@code leave-one-out} (default; spec unicom.md section 6): every eval image queries the others
 *     (L2-normalised, Euclidean), Recall@K and mAP@R; writes {@code neighbours.npy} (int32 [images, 8]: each image's
 *     nearest others, best first).
 * <li>{@code hashing} (spec sscq.md, "Evaluation"): the eval images query the training images as the database,
 *     mAP@{@code mapDepth} in the hashing convention, precision at the first N and the precision-recall curve
 *     (retrieval.metrics.HashingEvaluation); writes {@code hashing.json} and {@code precision-recall.png}.
 * </ul>
 * Both write {@code result.json} with the metrics.
 *
 * @param of       what is evaluated: {@code model} (the current model's embeddings, default), {@code pixels}
 *                 (the raw images), {@code features} (the last features stage's; leave-one-out only) or
 *                 {@code codes} (an SSCQ model's hard codes as the database, its continuous features as the
 *                 queries; hashing only). Embeddings and pixels are L2-normalised and ranked by squared L2
 * @param title    how reports name the row (default: the stage's name)
 * @param recallAt the K of Recall@K (default 1, 2, 4, 8; leave-one-out)
 * @param protocol {@code leave-one-out} or {@code hashing}
 * @param mapDepth hashing: the K of mAP@K (default 1000)
 * @param distance hashing of codes: asymmetric-squared-l2 (default), asymmetric-l2-sum (the SSCQ reference's),
 *                 symmetric-squared-l2 or symmetric-l2-sum
 * @param pqBits   hashing of {@code model} or {@code pixels}: 0 (default) ranks the float vectors; else post-hoc
 *                 product quantisation of the L2-normalised database vectors to codes of this many bits
 *                 (K = 16 centroids per subspace by k-means, 25 iterations, the run's seed; 4 bits per subspace),
 *                 queried by {@code distance}
 */
public record EvaluateStageSpec(String name, String of, String title, int[] recallAt, String protocol, int mapDepth,
                                String distance, int pqBits) implements StageSpec {
    static final int[] DEFAULT_K = {1, 2, 4, 8};

    /** A leave-one-out evaluation. */
    public EvaluateStageSpec(String name, String of, String title, int[] recallAt) {
        this(name, of, title, recallAt, "leave-one-out", 1000, "asymmetric-squared-l2", 0);
    }

    static EvaluateStageSpec read(ConfigNode n, String name) {
        String protocol = n.choice("protocol", "leave-one-out", "leave-one-out", "hashing");
        boolean hashing = protocol.equals("hashing");
        String of = hashing ? n.choice("of", "model", "model", "pixels", "codes")
                : n.choice("of", "model", "model", "pixels", "features");
        int pqBits = (int) n.integer("pqBits", 0, 0, 1024);
        if (pqBits % 4 != 0 || (pqBits > 0 && (!hashing || of.equals("codes")))) {
            throw n.bad("pqBits", "a multiple of 4 bits (16 centroids per subspace), for a hashing evaluation of "
                    + "model or pixels");
        }
        return new EvaluateStageSpec(name, of, n.text("title", name), n.integers("recallAt", DEFAULT_K, 1, 1 << 20),
                protocol, (int) n.integer("mapDepth", 1000, 1, Integer.MAX_VALUE),
                n.choice("distance", "asymmetric-squared-l2", "asymmetric-squared-l2", "asymmetric-l2-sum",
                        "symmetric-squared-l2", "symmetric-l2-sum"), pqBits);
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
        return n.put("protocol", protocol).put("mapDepth", mapDepth).put("distance", distance).put("pqBits", pqBits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvaluateStageSpec e && name.equals(e.name) && of.equals(e.of) && title.equals(e.title)
                && java.util.Arrays.equals(recallAt, e.recallAt) && protocol.equals(e.protocol)
                && mapDepth == e.mapDepth && distance.equals(e.distance) && pqBits == e.pqBits;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, of, title, java.util.Arrays.hashCode(recallAt), protocol, mapDepth,
                distance, pqBits);
    }
}
