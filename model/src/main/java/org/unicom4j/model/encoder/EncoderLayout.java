package org.unicom4j.model.encoder;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each tensor of a vision tower lives in its one parameter buffer, under its Hugging Face key
 * (CLIPVisionModelWithProjection / SiglipVisionModel, transformers' modeling_clip.py and modeling_siglip.py).
 * The order is ours: each block's q, k and v weights are adjacent, and so are their biases, so that one
 * [3D, D] GEMM computes all three projections (Hugging Face stores them as three Linear layers).
 */
public final class EncoderLayout {
    static final String EMBEDDINGS = "vision_model.embeddings.";
    static final String HEAD = "vision_model.head.";
    static final String PROJECTION = "visual_projection.weight";

    /** One tensor: its key, its shape as PyTorch has it and its offset in the parameter buffer. */
    public record Slot(String key, long[] shape, long offset) {
        public Slot {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long size() {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Slot s && key.equals(s.key) && Arrays.equals(shape, s.shape) && offset == s.offset;
        }

        @Override
        public int hashCode() {
            return key.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return key + " " + Arrays.toString(shape) + " @" + offset;
        }
    }

    private final EncoderConfig config;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private long count;

    private EncoderLayout(EncoderConfig config) {
        this.config = config;
    }

    public static EncoderLayout of(EncoderConfig c) {
        EncoderLayout l = new EncoderLayout(c);
        long d = c.width();
        boolean clip = c.family().classToken();
        if (clip) {
            l.add(EMBEDDINGS + "class_embedding", d);
        }
        l.add(EMBEDDINGS + "patch_embedding.weight", d, c.channels(), c.patch(), c.patch());
        if (!clip) {
            l.add(EMBEDDINGS + "patch_embedding.bias", d);
        }
        l.add(EMBEDDINGS + "position_embedding.weight", c.tokens(), d);
        if (clip) {
            l.norm("vision_model.pre_layrnorm."); // sic: Hugging Face's spelling
        }
        for (int i = 0; i < c.depth(); i++) {
            String p = layer(i);
            l.norm(p + "layer_norm1.");
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj"}) {
                l.add(p + "self_attn." + proj + ".weight", d, d);
            }
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj"}) {
                l.add(p + "self_attn." + proj + ".bias", d);
            }
            l.linear(p + "self_attn.out_proj.", d, d);
            l.norm(p + "layer_norm2.");
            l.linear(p + "mlp.fc1.", c.mlpHidden(), d);
            l.linear(p + "mlp.fc2.", d, c.mlpHidden());
        }
        l.norm("vision_model.post_layernorm.");
        if (c.projection() > 0) {
            l.add(PROJECTION, c.projection(), d);
        }
        if (!clip) {
            l.add(HEAD + "probe", 1, 1, d);
            l.add(HEAD + "attention.in_proj_weight", 3 * d, d);
            l.add(HEAD + "attention.in_proj_bias", 3 * d);
            l.linear(HEAD + "attention.out_proj.", d, d);
            l.norm(HEAD + "layernorm.");
            l.linear(HEAD + "mlp.fc1.", c.mlpHidden(), d);
            l.linear(HEAD + "mlp.fc2.", d, c.mlpHidden());
        }
        return l;
    }

    static String layer(int i) {
        return "vision_model.encoder.layers." + i + ".";
    }

    private void add(String key, long... shape) {
        Slot s = new Slot(key, shape, count);
        slots.put(key, s);
        count += s.size();
    }

    private void norm(String prefix) {
        add(prefix + "weight", config.width());
        add(prefix + "bias", config.width());
    }

    private void linear(String prefix, long out, long in) {
        add(prefix + "weight", out, in);
        add(prefix + "bias", out);
    }

    public EncoderConfig config() {
        return config;
    }

    /** The tensors in buffer order. */
    public Collection<Slot> slots() {
        return Collections.unmodifiableCollection(slots.values());
    }

    public boolean contains(String key) {
        return slots.containsKey(key);
    }

    public Slot slot(String key) {
        Slot s = slots.get(key);
        if (s == null) {
            throw new IllegalArgumentException("no tensor '" + key + "' in a " + config.describe());
        }
        return s;
    }

    /** Floats in the parameter buffer: the model's parameter count. */
    public long parameterCount() {
        return count;
    }
}
