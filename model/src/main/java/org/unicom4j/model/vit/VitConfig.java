package org.unicom4j.model.vit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;

/**
 * Shape of a Unicom ViT (spec section 1): square {@code imageSize} input with {@code channels} planes (3 for RGB,
 * 1 for grayscale), cut into {@code patch} x {@code patch} tiles, {@code depth} pre-norm blocks of width
 * {@code width} with {@code heads} attention heads and a ReLU6 MLP of {@code mlpHidden} units, then the flatten
 * and BatchNorm head down to {@code embedding} dims. {@code dropPathRate} is the stochastic-depth rate of the
 * last block (rates grow linearly from 0 over the blocks).
 */
public record VitConfig(int imageSize, int channels, int patch, int width, int depth, int heads, int mlpHidden,
                        int embedding, double dropPathRate) {

    /** Released ViT-B/32: 116,723,200 parameters. */
    public static final VitConfig B32 = new VitConfig(224, 3, 32, 768, 12, 12, 3072, 512, 0.1);
    /** Released ViT-B/16: 201,967,872 parameters. */
    public static final VitConfig B16 = new VitConfig(224, 3, 16, 768, 12, 12, 3072, 768, 0.1);
    /** Released ViT-L/14: 572,328,448 parameters. */
    public static final VitConfig L14 = new VitConfig(224, 3, 14, 1024, 24, 16, 4096, 768, 0.1);
    /** Released ViT-L/14@336px: 908,200,448 parameters. */
    public static final VitConfig L14_336 = new VitConfig(336, 3, 14, 1024, 24, 16, 4096, 768, 0.1);
    /** A tiny model for tests: 32 px, 4 x 4 tokens of width 64, 2 blocks. */
    public static final VitConfig TINY = new VitConfig(32, 3, 8, 64, 2, 2, 256, 32, 0.0);
    /** A small model that trains on a CPU: 64 px, 8 x 8 tokens of width 192, 6 blocks of 3 heads (head dim 64). */
    public static final VitConfig SMALL = new VitConfig(64, 3, 8, 192, 6, 3, 768, 128, 0.1);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public VitConfig {
        positive("imageSize", imageSize);
        positive("patch", patch);
        positive("width", width);
        positive("depth", depth);
        positive("heads", heads);
        positive("mlpHidden", mlpHidden);
        positive("embedding", embedding);
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("VitConfig: channels = " + channels + ", expected 3 (RGB) or 1 (grayscale)");
        }
        if (imageSize % patch != 0) {
            throw new IllegalArgumentException("VitConfig: imageSize " + imageSize + " is not a multiple of patch " + patch);
        }
        if (width % heads != 0) {
            throw new IllegalArgumentException("VitConfig: width " + width + " is not a multiple of heads " + heads);
        }
        if (!(dropPathRate >= 0 && dropPathRate < 1)) {
            throw new IllegalArgumentException("VitConfig: dropPathRate = " + dropPathRate + ", expected [0, 1)");
        }
        if ((long) imageSize / patch * (imageSize / patch) * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("VitConfig: tokens x width exceeds 2^31-1 for image size " + imageSize);
        }
    }

    /** A config whose MLP hidden size is {@code mlpRatio * width}. */
    public static VitConfig withMlpRatio(int imageSize, int channels, int patch, int width, int depth, int heads,
                                         int mlpRatio, int embedding, double dropPathRate) {
        return new VitConfig(imageSize, channels, patch, width, depth, heads, mlpRatio * width, embedding,
                dropPathRate);
    }

    /** Tiles per side. */
    public int grid() {
        return imageSize / patch;
    }

    /** Patch tokens N = grid^2 (no CLS token). */
    public int tokens() {
        return grid() * grid();
    }

    public int headDim() {
        return width / heads;
    }

    /** Length of one flattened sample, N * D, the input of feature.0. */
    public int flatDim() {
        return tokens() * width;
    }

    /** Values in one patch, channels * patch^2, the input of the patch embedding. */
    public int patchDim() {
        return channels * patch * patch;
    }

    /** Stochastic-depth rate of block {@code i}: linspace(0, dropPathRate, depth)[i]. */
    public double blockDropPathRate(int block) {
        // torch.linspace computes in float32; the rates are compared with uniform draws, so the precision is moot
        return depth == 1 ? 0.0 : dropPathRate * block / (depth - 1);
    }

    /** Trainable parameters (the released checkpoints' counts; BatchNorm running statistics excluded). */
    public long parameterCount() {
        return ParameterLayout.of(this).parameterCount();
    }

    public VitConfig withImageSize(int size) {
        return new VitConfig(size, channels, patch, width, depth, heads, mlpHidden, embedding, dropPathRate);
    }

    public VitConfig withChannels(int c) {
        return new VitConfig(imageSize, c, patch, width, depth, heads, mlpHidden, embedding, dropPathRate);
    }

    public VitConfig withDropPathRate(double rate) {
        return new VitConfig(imageSize, channels, patch, width, depth, heads, mlpHidden, embedding, rate);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static VitConfig fromJson(String json) {
        try {
            return JSON.readValue(json, VitConfig.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidInputException("VitConfig: cannot parse JSON: " + e.getOriginalMessage(), e);
        }
    }

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    public static VitConfig read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), VitConfig.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new FileFormatException(file + ": not a ViT config: " + e.getOriginalMessage(), e);
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("VitConfig: " + name + " must be > 0, got " + value);
        }
    }
}
