package org.unicom4j.training.config;

/**
 * The learning-rate schedule of a run (config {@code schedule}).
 *
 * @param type   {@code cosine} (linear warm-up from 0, cosine decay to lr/1000; default) or {@code onecycle}
 *               (PyTorch OneCycleLR as the reference fine-tuning uses it: from lr/25, cosine, to lr/25e4, beta1
 *               cycled 0.95 -> 0.85 -> 0.95)
 * @param warmup share of all steps spent warming up, in [0, 1) (default 0.1)
 */
public record ScheduleSpec(String type, double warmup) {

    static ScheduleSpec read(ConfigNode n) {
        ScheduleSpec spec = new ScheduleSpec(n.choice("type", "cosine", "cosine", "onecycle"),
                n.number("warmup", 0.1, 0, 0.999));
        n.finish();
        return spec;
    }

    static ScheduleSpec defaults() {
        return new ScheduleSpec("cosine", 0.1);
    }
}
