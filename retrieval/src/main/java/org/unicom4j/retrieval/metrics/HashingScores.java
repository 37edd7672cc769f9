package org.unicom4j.retrieval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hashing protocol's results for one query set against one database, each a mean over queries: mAP@K (hashing
 * convention), precision at the first N for each N of {@code precisionCutoffs}, and the precision-recall curve
 * sampled at the ranks {@code curveCutoffs} (at rank c: precision = hits / c, recall = hits / relevant items).
 *
 * @param name             what was evaluated (e.g. "PQ 32 bits, asymmetric-squared-l2")
 * @param mapDepth         K of mAP@K
 * @param map              mAP@K
 * @param precisionCutoffs N of each P@N
 * @param precisionAt      P@N, same order
 * @param curveCutoffs     ranks where the curve is sampled, ascending
 * @param curvePrecision   mean precision at each of those ranks
 * @param curveRecall      mean recall at each of those ranks
 * @param queries          number of queries
 * @param databaseSize     number of database items
 */
public record HashingScores(String name, int mapDepth, double map, int[] precisionCutoffs, double[] precisionAt,
                            int[] curveCutoffs, double[] curvePrecision, double[] curveRecall, int queries,
                            int databaseSize) {

    /** The scores as ordered maps and lists, for a JSON writer. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("queries", queries);
        out.put("database", databaseSize);
        out.put("mAP@" + mapDepth, map);
        Map<String, Double> precision = new LinkedHashMap<>();
        for (int i = 0; i < precisionCutoffs.length; i++) {
            precision.put("P@" + precisionCutoffs[i], precisionAt[i]);
        }
        out.put("precision_at", precision);
        Map<String, Object> curve = new LinkedHashMap<>();
        curve.put("rank", curveCutoffs);
        curve.put("precision", curvePrecision);
        curve.put("recall", curveRecall);
        out.put("precision_recall", curve);
        return out;
    }
}
