package org.unicom4j.training.config;

/**
 * When a run writes checkpoints (config {@code checkpoint}): at the end of every epoch, and also every
 * {@code everySteps} steps when that is > 0; the newest {@code keep} are kept.
 */
public record CheckpointSpec(long everySteps, int keep) {

    static CheckpointSpec read(ConfigNode n) {
        CheckpointSpec spec = new CheckpointSpec(n.integer("everySteps", 0, 0, Long.MAX_VALUE),
                (int) n.integer("keep", 2, 1, 1000));
        n.finish();
        return spec;
    }

    static CheckpointSpec defaults() {
        return new CheckpointSpec(0, 2);
    }
}
