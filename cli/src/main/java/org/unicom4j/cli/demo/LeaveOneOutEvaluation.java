package org.unicom4j.cli.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.FlatIndex;
import org.unicom4j.retrieval.index.Similarity;
import org.unicom4j.retrieval.metrics.ClassRelevance;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.metrics.MapAtR;
import org.unicom4j.retrieval.metrics.RecallAtK;

/**
 * Leave-one-out retrieval metrics with true labels (spec unicom.md section 6): L2-normalise, rank every other
 * item by Euclidean distance (squared L2 gives the same order), Recall@1/2/4/8 and mAP@R.
 */
public final class LeaveOneOutEvaluation {
    private LeaveOneOutEvaluation() {
    }

    /** The metrics, plus the ranked neighbours (for pictures) in {@code neighboursOut[0]} when not null. */
    public static Map<String, Double> evaluate(Backend backend, Vectors embeddings, int[] labels,
                                               Neighbours[] neighboursOut) {
        Vectors normalised = L2Norm.normalized(embeddings);
        ClassRelevance relevance = ClassRelevance.leaveOneOut(labels);
        int maxR = 0;
        for (int q = 0; q < labels.length; q++) {
            maxR = Math.max(maxR, relevance.relevantCount(q));
        }
        int depth = Math.max(8, maxR);
        Neighbours ranked;
        try (FlatIndex index = new FlatIndex(backend, normalised.dim(), Similarity.SQUARED_L2)) {
            index.add(normalised);
            ranked = index.search(normalised, depth + 1).excludingSelf(depth);
        }
        if (neighboursOut != null) {
            neighboursOut[0] = ranked;
        }
        double[] recall = RecallAtK.compute(ranked, relevance, 1, 2, 4, 8);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("R@1", recall[0]);
        metrics.put("R@2", recall[1]);
        metrics.put("R@4", recall[2]);
        metrics.put("R@8", recall[3]);
        metrics.put("mAP@R", MapAtR.compute(ranked, relevance));
        return metrics;
    }
}
