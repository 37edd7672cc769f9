package org.unicom4j.training.config;

/**
 * The learning-rate schedule of a run (config {@code schedule}).
 *
 * @param type         {@code cosine} (linear warm-up from 0, cosine decay to {@code finalLr} times the peak;
 *                     default) or {@code onecycle} (PyTorch OneCycleLR as the reference fine-tuning uses it: from
 *                     lr/25, cosine, to lr/25e4, beta1 cycled 0.95 -> 0.85 -> 0.95)
 * @param warmup       share of all steps spent warming up, in [0, 1) (default 0.1)
 * @param warmupEpochs the warm-up in epochs instead of a share (SSCQ's recipe: 10); 0 (default) uses
 *                     {@code warmup}. Capped below the stage's length
 * @param finalLr      cosine: the learning rate at the end as a fraction of the peak (default 0.001; SSCQ 0.1)
 */
public record ScheduleSpec(String type, double warmup, double warmupEpochs, double finalLr) {
    static final double DEFAULT_FINAL_LR = 1e-3;

    /** A schedule warming up over a share of the steps, ending at the default fraction. */
    public ScheduleSpec(String type, double warmup) {
        this(type, warmup, 0, DEFAULT_FINAL_LR);
    }

    static ScheduleSpec read(ConfigNode n, ScheduleSpec defaults) {
        ScheduleSpec spec = new ScheduleSpec(n.choice("type", defaults.type(), "cosine", "onecycle"),
                n.number("warmup", defaults.warmup(), 0, 0.999),
                n.number("warmupEpochs", defaults.warmupEpochs(), 0, 1e6),
                n.number("finalLr", defaults.finalLr(), 0, 1));
        n.finish();
        return spec;
    }

    /** The defaults of {@code method}'s train stages: the engine's, or SSCQ's recipe (spec sscq.md). */
    static ScheduleSpec defaults(String method) {
        return method.equals("sscq") ? new ScheduleSpec("cosine", 0.1, 10, 0.1)
                : new ScheduleSpec("cosine", 0.1, 0, DEFAULT_FINAL_LR);
    }
}
