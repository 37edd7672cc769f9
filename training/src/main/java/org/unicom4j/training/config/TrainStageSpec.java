package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@code train} stage: the run's method trains the current model for {@code epochs} passes over the training
 * images, with checkpoints and exact resume, {@code metrics.jsonl} and, at the end, {@code model.safetensors}.
 *
 * @param labels          {@code data} (the dataset's labels, or its {@code pseudoLabels} file) or
 *                        {@code clusters} (the last kmeans stage's pseudo-classes)
 * @param epochs          passes over the training images (default 1)
 * @param evalEveryEpoch  leave-one-out Recall@1 on {@code data.eval} after every epoch (default true when there
 *                        is eval data)
 */
public record TrainStageSpec(String name, long seed, String labels, int epochs, StageLoss loss,
                             OptimizerSpec optimizer, ScheduleSpec schedule, boolean evalEveryEpoch)
        implements StageSpec {
    private static final ObjectMapper JSON = new ObjectMapper();

    static TrainStageSpec read(ConfigNode n, String name, long seed, int embedding, String method) {
        return new TrainStageSpec(name, seed, n.choice("labels", "data", "data", "clusters"),
                (int) n.integer("epochs", 1, 1, 1_000_000), readLoss(n, embedding, method), readOptimizer(n, method),
                readSchedule(n, method), n.bool("evalEveryEpoch", true));
    }

    /** {@code loss} of {@code n} (its keys are the method's), or the method's defaults. */
    static StageLoss readLoss(ConfigNode n, int embedding, String method) {
        if (method.equals("sscq")) {
            return n.optionalObject("loss").map(SscqLossSpec::read).orElse(SscqLossSpec.DEFAULT);
        }
        return n.optionalObject("loss").map(l -> LossSpec.read(l, embedding)).orElse(LossSpec.defaults(embedding));
    }

    static OptimizerSpec readOptimizer(ConfigNode n, String method) {
        return n.optionalObject("optimizer").map(o -> OptimizerSpec.read(o, method))
                .orElse(OptimizerSpec.defaults(method));
    }

    static ScheduleSpec readSchedule(ConfigNode n, String method) {
        return n.optionalObject("schedule").map(s -> ScheduleSpec.read(s, method))
                .orElse(ScheduleSpec.defaults(method));
    }

    @Override
    public String type() {
        return "train";
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = StageSpec.header(this).put("labels", labels).put("epochs", epochs);
        n.set("loss", loss.toJson());
        n.set("optimizer", JSON.valueToTree(optimizer));
        n.set("schedule", JSON.valueToTree(schedule));
        return n.put("evalEveryEpoch", evalEveryEpoch);
    }
}
