package org.unicom4j.training.config;

/**
 * AdamW settings of a run (config {@code optimizer}). For {@code sscq} the defaults are the spec's (lr 5e-4,
 * weight decay 1e-5; decoupled, as AdamW, where the reference's Adam adds it to the gradient).
 *
 * @param lr               peak backbone learning rate (default 1e-3, the paper's pre-training; fine-tuning uses
 *                         1e-5, spec section 5)
 * @param weightDecay      decoupled weight decay (default 0.05; fine-tuning 0)
 * @param prototypeLrScale the prototypes' learning rate as a multiple of the backbone's (default 10; for
 *                         {@code sscq} the head's and codebooks' rate, default 1)
 * @param maxGradNorm      clip the backbone gradients to this global L2 norm; 0 (default) does not clip
 */
public record OptimizerSpec(double lr, double weightDecay, double prototypeLrScale, double maxGradNorm) {

    static OptimizerSpec read(ConfigNode n, OptimizerSpec defaults) {
        OptimizerSpec spec = new OptimizerSpec(n.positive("lr", defaults.lr()),
                n.number("weightDecay", defaults.weightDecay(), 0, 1e3),
                n.positive("prototypeLrScale", defaults.prototypeLrScale()),
                n.number("maxGradNorm", defaults.maxGradNorm(), 0, Float.MAX_VALUE));
        n.finish();
        return spec;
    }

    /** The defaults of {@code method}: the paper's pre-training, or SSCQ's Adam 5e-4 with weight decay 1e-5. */
    static OptimizerSpec defaults(String method) {
        return method.equals("sscq") ? new OptimizerSpec(5e-4, 1e-5, 1, 0) : new OptimizerSpec(1e-3, 0.05, 10, 0);
    }
}
