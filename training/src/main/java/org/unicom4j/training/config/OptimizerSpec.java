package org.unicom4j.training.config;

/**
 * AdamW settings of a run (config {@code optimizer}).
 *
 * @param lr               peak backbone learning rate (default 1e-3, the paper's pre-training; fine-tuning uses
 *                         1e-5, spec section 5)
 * @param weightDecay      decoupled weight decay (default 0.05; fine-tuning 0)
 * @param prototypeLrScale the prototypes' learning rate as a multiple of the backbone's (default 10)
 * @param maxGradNorm      clip the backbone gradients to this global L2 norm; 0 (default) does not clip
 */
public record OptimizerSpec(double lr, double weightDecay, double prototypeLrScale, double maxGradNorm) {

    static OptimizerSpec read(ConfigNode n) {
        OptimizerSpec spec = new OptimizerSpec(n.positive("lr", 1e-3), n.number("weightDecay", 0.05, 0, 1e3),
                n.positive("prototypeLrScale", 10), n.number("maxGradNorm", 0, 0, Float.MAX_VALUE));
        n.finish();
        return spec;
    }

    static OptimizerSpec defaults() {
        return new OptimizerSpec(1e-3, 0.05, 10, 0);
    }
}
