package org.unicom4j.model.encoder;

/** The two vision towers: how tokens are formed and how one embedding is read off them. */
public enum EncoderFamily {
    /**
     * OpenAI CLIP (transformers' CLIPVisionModel): a class token before the patches, a Conv2d without bias,
     * pre_layrnorm before the blocks; the output is post_layernorm of the class token, optionally projected.
     */
    CLIP("CLIP"),
    /**
     * Google SigLIP (SiglipVisionModel): patches only, a Conv2d with bias; post_layernorm over all tokens, then the
     * attention-pooling head (a learned probe attends over the tokens, then x + MLP(LayerNorm(x))).
     */
    SIGLIP("SigLIP");

    private final String displayName;

    EncoderFamily(String displayName) {
        this.displayName = displayName;
    }

    public boolean classToken() {
        return this == CLIP;
    }

    public String displayName() {
        return displayName;
    }
}
