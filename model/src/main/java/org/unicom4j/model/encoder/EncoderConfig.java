package org.unicom4j.model.encoder;

import java.util.Locale;
import org.unicom4j.kernels.Gelu;

/**
 * The shape of a vision tower, as a Hugging Face vision config gives it.
 *
 * @param family       CLIP or SigLIP
 * @param width        {@code hidden_size}, D
 * @param mlpHidden    {@code intermediate_size}
 * @param heads        {@code num_attention_heads}
 * @param depth        {@code num_hidden_layers}
 * @param patch        {@code patch_size}
 * @param imageSize    {@code image_size}; the grid is image_size / patch_size rounded down (a Conv2d without
 *                     padding ignores the rest)
 * @param channels     {@code num_channels}
 * @param layerNormEps {@code layer_norm_eps}
 * @param activation   {@code hidden_act}
 * @param projection   rows of CLIP's {@code visual_projection}, 0 without one (always 0 for SigLIP)
 */
public record EncoderConfig(EncoderFamily family, int width, int mlpHidden, int heads, int depth, int patch,
                            int imageSize, int channels, float layerNormEps, Gelu activation, int projection) {

    public EncoderConfig {
        if (width < 1 || mlpHidden < 1 || heads < 1 || depth < 1 || patch < 1 || channels < 1) {
            throw new IllegalArgumentException("hidden_size, intermediate_size, num_attention_heads, "
                    + "num_hidden_layers, patch_size and num_channels must be >= 1, got " + width + ", " + mlpHidden
                    + ", " + heads + ", " + depth + ", " + patch + ", " + channels);
        }
        if (width % heads != 0) {
            throw new IllegalArgumentException("hidden_size " + width + " is not a multiple of num_attention_heads "
                    + heads);
        }
        if (imageSize < patch) {
            throw new IllegalArgumentException("image_size " + imageSize + " is smaller than patch_size " + patch);
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layer_norm_eps must be > 0, got " + layerNormEps);
        }
        if (projection < 0 || (projection > 0 && !family.classToken())) {
            throw new IllegalArgumentException("projection " + projection + ": only CLIP has one (>= 0)");
        }
        if ((long) imageSize / patch * (imageSize / patch) * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image_size " + imageSize + " with patch_size " + patch
                    + " makes too many tokens");
        }
    }

    /** The same tower without (or with another) projection. */
    public EncoderConfig withProjection(int rows) {
        return new EncoderConfig(family, width, mlpHidden, heads, depth, patch, imageSize, channels, layerNormEps,
                activation, rows);
    }

    /** Patches per side. */
    public int grid() {
        return imageSize / patch;
    }

    public int patches() {
        return grid() * grid();
    }

    /** Rows per image in the residual stream: the patches, and CLIP's class token first. */
    public int tokens() {
        return patches() + (family.classToken() ? 1 : 0);
    }

    public int headDim() {
        return width / heads;
    }

    /** Floats per patch: channels * patch * patch, a Conv2d weight row. */
    public int patchDim() {
        return channels * patch * patch;
    }

    /** Floats per embedding: the projection's rows if there is one, else the width. */
    public int outputDim() {
        return projection > 0 ? projection : width;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s ViT %dpx/%d, width %d, depth %d, heads %d, MLP %d, %s GELU%s -> %d-d",
                family.displayName(), imageSize, patch, width, depth, heads, mlpHidden,
                activation.name().toLowerCase(Locale.ROOT), projection > 0 ? ", projection " + projection : "",
                outputDim());
    }
}
