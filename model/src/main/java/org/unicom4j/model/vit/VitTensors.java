package org.unicom4j.model.vit;

import org.unicom4j.kernels.DeviceFloats;

/**
 * Named views of one arena laid out by a {@link ParameterLayout}: the parameters, or their gradients (same
 * offsets). Linear weights are [out, in] as in PyTorch.
 */
public record VitTensors(DeviceFloats posEmbed, DeviceFloats patchWeight, DeviceFloats patchBias, Block[] blocks,
                         DeviceFloats normWeight, DeviceFloats normBias, DeviceFloats head0Weight,
                         DeviceFloats bn1Weight, DeviceFloats bn1Bias, DeviceFloats head2Weight,
                         DeviceFloats bn3Weight, DeviceFloats bn3Bias) {

    /** The tensors of one transformer block. */
    public record Block(DeviceFloats norm1Weight, DeviceFloats norm1Bias, DeviceFloats norm2Weight,
                        DeviceFloats norm2Bias, DeviceFloats qkvWeight, DeviceFloats projWeight,
                        DeviceFloats projBias, DeviceFloats fc1Weight, DeviceFloats fc1Bias, DeviceFloats fc2Weight,
                        DeviceFloats fc2Bias) {
    }

    /** Views of {@code arena}, which must hold {@link ParameterLayout#parameterCount()} floats. */
    public static VitTensors view(ParameterLayout layout, DeviceFloats arena) {
        if (arena.length() != layout.parameterCount()) {
            throw new IllegalArgumentException("parameter arena has " + arena.length() + " floats, expected "
                    + layout.parameterCount());
        }
        Block[] blocks = new Block[layout.config().depth()];
        for (int i = 0; i < blocks.length; i++) {
            String p = "blocks." + i + ".";
            blocks[i] = new Block(v(layout, arena, p + "norm1.weight"), v(layout, arena, p + "norm1.bias"),
                    v(layout, arena, p + "norm2.weight"), v(layout, arena, p + "norm2.bias"),
                    v(layout, arena, p + "attn.qkv.weight"), v(layout, arena, p + "attn.proj.weight"),
                    v(layout, arena, p + "attn.proj.bias"), v(layout, arena, p + "mlp.fc1.weight"),
                    v(layout, arena, p + "mlp.fc1.bias"), v(layout, arena, p + "mlp.fc2.weight"),
                    v(layout, arena, p + "mlp.fc2.bias"));
        }
        return new VitTensors(v(layout, arena, "pos_embed"), v(layout, arena, "patch_embed.proj.weight"),
                v(layout, arena, "patch_embed.proj.bias"), blocks, v(layout, arena, "norm.weight"),
                v(layout, arena, "norm.bias"), v(layout, arena, "feature.0.weight"),
                v(layout, arena, "feature.1.weight"), v(layout, arena, "feature.1.bias"),
                v(layout, arena, "feature.2.weight"), v(layout, arena, "feature.3.weight"),
                v(layout, arena, "feature.3.bias"));
    }

    /** The slice of {@code arena} holding {@code slot} (a parameter, or a running statistic in its arena). */
    public static DeviceFloats slice(DeviceFloats arena, TensorSlot slot) {
        return arena.slice(slot.offset(), slot.size());
    }

    private static DeviceFloats v(ParameterLayout layout, DeviceFloats arena, String key) {
        return slice(arena, layout.slot(key));
    }
}
