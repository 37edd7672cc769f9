package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One stage of a run (config {@code stages[i]}): {@code features}, {@code kmeans}, {@code train} or
 * {@code evaluate}. Stages run in order, each writing its outputs under the run folder's {@code <name>/} and
 * feeding the next: features to k-means and to evaluation, clusters to training as labels, the trained model to
 * later training and evaluation.
 */
public sealed interface StageSpec permits FeaturesStageSpec, KMeansStageSpec, TrainStageSpec, EvaluateStageSpec {

    /** The stage's name: unique in the run, also its folder's name. */
    String name();

    /** {@code features}, {@code kmeans}, {@code train} or {@code evaluate}. */
    String type();

    /** The seed of the stage's random choices (default: the run's seed + the stage's index). */
    long seed();

    /** The stage in the config-file format, every default filled in. */
    ObjectNode toJson();

    /** Reads stage {@code index}; {@code runSeed} gives the default seed, {@code embedding} the default d'. */
    static StageSpec read(ConfigNode n, int index, long runSeed, int embedding, String method) {
        String type = n.choice("type", null, "features", "kmeans", "train", "evaluate");
        String name = n.text("name", null);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
            throw n.bad("name", "a folder name of letters, digits, '-' and '_' (at most 64)");
        }
        long seed = n.integer("seed", runSeed + index, Long.MIN_VALUE, Long.MAX_VALUE);
        StageSpec stage = switch (type) {
            case "features" -> FeaturesStageSpec.read(n, name, seed);
            case "kmeans" -> KMeansStageSpec.read(n, name, seed);
            case "train" -> TrainStageSpec.read(n, name, seed, embedding, method);
            default -> EvaluateStageSpec.read(n, name);
        };
        n.finish();
        return stage;
    }

    /** The keys every stage has. */
    static ObjectNode header(StageSpec stage) {
        ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        n.put("name", stage.name());
        n.put("type", stage.type());
        if (!(stage instanceof EvaluateStageSpec)) {
            n.put("seed", stage.seed());
        }
        return n;
    }
}
