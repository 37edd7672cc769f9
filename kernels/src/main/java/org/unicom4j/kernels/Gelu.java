package org.unicom4j.kernels;

/**
 * The GELU approximations the foundation backbones use (Hugging Face {@code ACT2FN}, transformers/activations.py).
 * Both are x * sigmoid(k(x)): 0.5 (1 + tanh(u)) = sigmoid(2u), so the kernels compute one form without the
 * cancellation of 1 + tanh(u) for negative u.
 */
public enum Gelu {
    /** x * sigmoid(1.702 x): OpenAI CLIP's QuickGELU, {@code hidden_act: "quick_gelu"}. */
    QUICK,
    /**
     * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): {@code "gelu_pytorch_tanh"} and {@code "gelu_new"} (SigLIP),
     * PyTorch's {@code gelu(x, approximate="tanh")}.
     */
    TANH;

    /** sqrt(2 / pi). */
    public static final double TANH_BETA = 0.7978845608028654;
    public static final double TANH_KAPPA = 0.044715;
    public static final double QUICK_SLOPE = 1.702;
}
