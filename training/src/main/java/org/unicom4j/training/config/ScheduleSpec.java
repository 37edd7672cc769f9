package org.unicom4j.training.config;

/**
 * The learning-rate schedule of a run (config {@code schedule}); the defaults depend on the method.
 *
 * @param type         {@code cosine} (linear warm-up from 0, cosine decay to floor x lr; default) or {@code onecycle}
 *                     (PyTorch OneCycleLR as the reference fine-tuning uses it: from lr/25, cosine, to lr/25e4,
 *                     beta1 cycled 0.95 -> 0.85 -> 0.95)
 * @param warmup       share of all steps spent warming up, in [0, 1) (default 0.1)
 * @param warmupEpochs the warm-up in epochs instead of a share (SSCQ's recipe: 10); 0 (default) uses
 *                     {@code warmup}. Capped below the stage's length
 * @param floor        cosine: the last learning rate as a share of the peak, in [0, 1] (default 0.001; for the
 *                     {@code head} method 0.05, UniFEx's decay from 0.02 to 1e-3; for {@code sscq} 0.1, the spec's
 *                     cosine to 0.1 of the peak); onecycle has its own (lr/25e4)
 */
public record ScheduleSpec(String type, double warmup, double warmupEpochs, double floor) {

    /** A schedule warming up over a share of the steps. */
    public ScheduleSpec(String type, double warmup, double floor) {
        this(type, warmup, 0, floor);
    }

    static ScheduleSpec read(ConfigNode n, String method) {
        ScheduleSpec d = defaults(method);
        String type = n.choice("type", "cosine", "cosine", "onecycle");
        ScheduleSpec spec = new ScheduleSpec(type, n.number("warmup", d.warmup, 0, 0.999),
                n.number("warmupEpochs", d.warmupEpochs, 0, 1e6), n.number("floor", d.floor, 0, 1));
        n.finish();
        return spec;
    }

    static ScheduleSpec defaults(String method) {
        return switch (method) {
            case "head" -> new ScheduleSpec("cosine", 0.1, 0.05);
            case "sscq" -> new ScheduleSpec("cosine", 0.1, 10, 0.1);
            default -> new ScheduleSpec("cosine", 0.1, 0.001);
        };
    }
}
