package org.unicom4j.model.encoder;

import org.unicom4j.kernels.DeviceFloats;

/**
 * Views of a tower's parameter buffer by role (see {@link EncoderLayout}); family-specific views are null where
 * the family has no such tensor.
 */
record EncoderTensors(DeviceFloats classEmbedding, DeviceFloats patchWeight, DeviceFloats patchBias,
                      DeviceFloats positions, DeviceFloats preNormWeight, DeviceFloats preNormBias, Block[] blocks,
                      DeviceFloats postNormWeight, DeviceFloats postNormBias, DeviceFloats projection, Head head) {

    /** One pre-norm block; qkvWeight [3D, D] and qkvBias [3D] span the adjacent q, k and v tensors. */
    record Block(DeviceFloats norm1Weight, DeviceFloats norm1Bias, DeviceFloats qkvWeight, DeviceFloats qkvBias,
                 DeviceFloats outWeight, DeviceFloats outBias, DeviceFloats norm2Weight, DeviceFloats norm2Bias,
                 DeviceFloats fc1Weight, DeviceFloats fc1Bias, DeviceFloats fc2Weight, DeviceFloats fc2Bias) {
    }

    /** SigLIP's attention-pooling head; inWeight [3D, D] and inBias [3D] are nn.MultiheadAttention's q;k;v. */
    record Head(DeviceFloats probe, DeviceFloats inWeight, DeviceFloats inBias, DeviceFloats outWeight,
                DeviceFloats outBias, DeviceFloats normWeight, DeviceFloats normBias, DeviceFloats fc1Weight,
                DeviceFloats fc1Bias, DeviceFloats fc2Weight, DeviceFloats fc2Bias) {
    }

    static EncoderTensors view(EncoderLayout layout, DeviceFloats params) {
        Views v = new Views(layout, params);
        EncoderConfig c = layout.config();
        String e = EncoderLayout.EMBEDDINGS;
        Block[] blocks = new Block[c.depth()];
        long d = c.width();
        for (int i = 0; i < blocks.length; i++) {
            String p = EncoderLayout.layer(i);
            String attn = p + "self_attn.";
            blocks[i] = new Block(v.get(p + "layer_norm1.weight"), v.get(p + "layer_norm1.bias"),
                    v.span(attn + "q_proj.weight", 3 * d * d), v.span(attn + "q_proj.bias", 3 * d),
                    v.get(attn + "out_proj.weight"), v.get(attn + "out_proj.bias"), v.get(p + "layer_norm2.weight"),
                    v.get(p + "layer_norm2.bias"), v.get(p + "mlp.fc1.weight"), v.get(p + "mlp.fc1.bias"),
                    v.get(p + "mlp.fc2.weight"), v.get(p + "mlp.fc2.bias"));
        }
        boolean clip = c.family().classToken();
        String h = EncoderLayout.HEAD;
        Head head = clip ? null : new Head(v.get(h + "probe"), v.get(h + "attention.in_proj_weight"),
                v.get(h + "attention.in_proj_bias"), v.get(h + "attention.out_proj.weight"),
                v.get(h + "attention.out_proj.bias"), v.get(h + "layernorm.weight"), v.get(h + "layernorm.bias"),
                v.get(h + "mlp.fc1.weight"), v.get(h + "mlp.fc1.bias"), v.get(h + "mlp.fc2.weight"),
                v.get(h + "mlp.fc2.bias"));
        return new EncoderTensors(clip ? v.get(e + "class_embedding") : null, v.get(e + "patch_embedding.weight"),
                clip ? null : v.get(e + "patch_embedding.bias"), v.get(e + "position_embedding.weight"),
                clip ? v.get("vision_model.pre_layrnorm.weight") : null,
                clip ? v.get("vision_model.pre_layrnorm.bias") : null, blocks,
                v.get("vision_model.post_layernorm.weight"), v.get("vision_model.post_layernorm.bias"),
                c.projection() > 0 ? v.get(EncoderLayout.PROJECTION) : null, head);
    }

    private record Views(EncoderLayout layout, DeviceFloats params) {
        DeviceFloats get(String key) {
            EncoderLayout.Slot s = layout.slot(key);
            return params.slice(s.offset(), s.size());
        }

        /** {@code length} floats from the start of {@code key}: tensors the layout keeps adjacent. */
        DeviceFloats span(String key, long length) {
            return params.slice(layout.slot(key).offset(), length);
        }
    }
}
