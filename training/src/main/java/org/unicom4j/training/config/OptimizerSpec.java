package org.unicom4j.training.config;

/**
 * Adam settings of a run (config {@code optimizer}); the defaults depend on the method.
 *
 * @param lr               peak backbone (or head) learning rate (default 1e-3, the paper's pre-training; fine-tuning
 *                         uses 1e-5, spec section 5; {@code head}: 0.02 as UniFEx; {@code sscq}: 5e-4, the spec's)
 * @param weightDecay      {@code unicom} and {@code sscq}: AdamW's decoupled weight decay (default 0.05;
 *                         fine-tuning 0; {@code sscq} 1e-5, decoupled where the reference's Adam adds it to the
 *                         gradient); {@code head}: L2 weight decay added to the gradients as torch.optim.Adam does
 *                         (default 1e-4, UniFEx)
 * @param prototypeLrScale the prototypes' learning rate as a multiple of the backbone's (default 10; {@code head} 1;
 *                         for {@code sscq} the head's and codebooks' rate, default 1)
 * @param maxGradNorm      clip the backbone gradients to this global L2 norm; 0 (default) does not clip
 */
public record OptimizerSpec(double lr, double weightDecay, double prototypeLrScale, double maxGradNorm) {

    static OptimizerSpec read(ConfigNode n, String method) {
        OptimizerSpec d = defaults(method);
        OptimizerSpec spec = new OptimizerSpec(n.positive("lr", d.lr), n.number("weightDecay", d.weightDecay, 0, 1e3),
                n.positive("prototypeLrScale", d.prototypeLrScale), n.number("maxGradNorm", 0, 0, Float.MAX_VALUE));
        n.finish();
        return spec;
    }

    static OptimizerSpec defaults(String method) {
        return switch (method) {
            case "head" -> new OptimizerSpec(0.02, 1e-4, 1, 0);
            case "sscq" -> new OptimizerSpec(5e-4, 1e-5, 1, 0);
            default -> new OptimizerSpec(1e-3, 0.05, 10, 0);
        };
    }
}
