package org.unicom4j.retrieval.metrics;

import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.KnnSearch;
import org.unicom4j.retrieval.index.Similarity;

/**
 * Weighted k-NN classification as DINO evaluates features ({@code eval_knn.py}, Caron et al. 2021): the k training
 * neighbours of largest cosine similarity on L2-normalised features each vote for their class with weight
 * exp(similarity / T), T = 0.07, and the classes are ranked by their summed weight. Equal sums are ordered by the
 * lower class index (DINO leaves that order to torch.sort). Reports top-1 and top-5 accuracy.
 */
public final class KnnClassification {
    /** DINO's temperature. */
    public static final double TEMPERATURE = 0.07;

    /** Top-1 and top-5 accuracy, fractions in [0, 1]. */
    public record Accuracy(double top1, double top5) {
    }

    private KnnClassification() {
    }

    /**
     * The whole protocol from raw features: L2-normalise both sets, rank the training set by cosine similarity
     * for each test feature, vote with the k best.
     */
    public static Accuracy evaluate(KnnSearch search, Vectors train, int[] trainLabels, Vectors test,
                                    int[] testLabels, int classes, int k) {
        Neighbours nb = search.search(L2Norm.normalized(test), L2Norm.normalized(train), k,
                Similarity.INNER_PRODUCT);
        return evaluate(nb, trainLabels, testLabels, classes, k, TEMPERATURE);
    }

    /**
     * Scores test queries given their training neighbours ranked by cosine similarity (scores are similarities,
     * at least k per query).
     */
    public static Accuracy evaluate(Neighbours bySimilarity, int[] trainLabels, int[] testLabels, int classes,
                                    int k, double temperature) {
        if (!bySimilarity.higherIsBetter()) {
            throw new IllegalArgumentException("k-NN: neighbours must be ranked by similarity (higher is better), "
                    + "these hold distances");
        }
        if (k <= 0 || bySimilarity.k() < k) {
            throw new IllegalArgumentException("k-NN: k = " + k + ", the rankings hold " + bySimilarity.k()
                    + " neighbours per query");
        }
        if (testLabels.length != bySimilarity.queries() || bySimilarity.queries() == 0) {
            throw new IllegalArgumentException("k-NN: " + testLabels.length + " test labels for "
                    + bySimilarity.queries() + " queries");
        }
        double[] votes = new double[classes];
        int top1 = 0, top5 = 0;
        for (int q = 0; q < bySimilarity.queries(); q++) {
            java.util.Arrays.fill(votes, 0);
            for (int r = 0; r < k; r++) {
                int label = trainLabels[bySimilarity.index(q, r)];
                if (label < 0 || label >= classes) {
                    throw new IllegalArgumentException("k-NN: training label " + label + " of item "
                            + bySimilarity.index(q, r) + " is outside [0, " + classes + ")");
                }
                votes[label] += Math.exp(bySimilarity.score(q, r) / temperature);
            }
            int rank = rankOf(votes, testLabels[q]);
            top1 += rank == 0 ? 1 : 0;
            top5 += rank < 5 ? 1 : 0;
        }
        double n = bySimilarity.queries();
        return new Accuracy(top1 / n, top5 / n);
    }

    /** Position of class c when the classes are sorted by votes descending, then by class index. */
    private static int rankOf(double[] votes, int c) {
        int rank = 0;
        for (int other = 0; other < votes.length; other++) {
            if (votes[other] > votes[c] || (votes[other] == votes[c] && other < c)) {
                rank++;
            }
        }
        return rank;
    }
}
