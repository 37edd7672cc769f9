package org.unicom4j.model.encoder.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.HfImageProcessor;
import org.unicom4j.model.encoder.EncoderConfig;
import org.unicom4j.model.encoder.EncoderFamily;

/**
 * A checkpoint's {@code preprocessor_config.json} as an {@link HfImageProcessor}, or the family's defaults when there
 * is none: CLIP (CLIPImageProcessor) resizes the shorter side to the model's image size and centre-crops it, with
 * OpenAI's mean and std (transformers' OPENAI_CLIP_MEAN / OPENAI_CLIP_STD, from openai/CLIP clip.py); SigLIP
 * (SiglipImageProcessor) resizes to the image size exactly, with mean and std 0.5 (IMAGENET_STANDARD_MEAN / _STD).
 * Both rescale by 1/255 with Pillow's bicubic filter ({@code resample: 3}), the only filter read here.
 */
public final class HfPreprocessing {
    static final float[] OPENAI_CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] OPENAI_CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};
    static final float[] HALF = {0.5f, 0.5f, 0.5f};
    private static final double RESCALE = 1 / 255.0;
    private static final int BICUBIC = 3;

    private HfPreprocessing() {
    }

    /** The defaults for {@code config} (no preprocessor_config.json). */
    public static HfImageProcessor defaults(EncoderConfig config) {
        int size = config.imageSize();
        return config.family() == EncoderFamily.CLIP
                ? HfImageProcessor.shortestEdgeThenCrop(size, size, RESCALE, OPENAI_CLIP_MEAN, OPENAI_CLIP_STD)
                : HfImageProcessor.exactResize(size, size, RESCALE, HALF, HALF);
    }

    /** {@code file} read for {@code config}; its output must be the model's input size. */
    public static HfImageProcessor read(Path file, EncoderConfig config) throws IOException {
        JsonFile json = JsonFile.read(file);
        boolean clip = config.family() == EncoderFamily.CLIP;
        if (!json.flag("do_resize", true)) {
            throw new InvalidInputException(file + ": do_resize is false; images of any size cannot be batched");
        }
        int resample = json.positive("resample", BICUBIC);
        if (resample != BICUBIC) {
            throw new InvalidInputException(file + ": resample " + resample + " is not supported (3, bicubic)");
        }
        boolean normalize = json.flag("do_normalize", true);
        float[] mean = normalize ? json.triple("image_mean", clip ? OPENAI_CLIP_MEAN : HALF) : new float[3];
        float[] std = normalize ? json.triple("image_std", clip ? OPENAI_CLIP_STD : HALF) : new float[] {1, 1, 1};
        double rescale = json.flag("do_rescale", true) ? json.number("rescale_factor", RESCALE) : 1.0;
        int[] size = size(json, "size", config.imageSize(), clip);
        HfImageProcessor processor;
        try {
            if (size[0] > 0) {
                if (!json.flag("do_center_crop", clip)) {
                    throw new InvalidInputException(file + ": a shortest-edge resize without a centre crop gives "
                            + "images of different sizes, which cannot be batched");
                }
                int[] crop = size(json, "crop_size", config.imageSize(), false);
                processor = new HfImageProcessor(size[0], 0, 0, crop[1], crop[2], rescale, mean, std);
            } else {
                processor = HfImageProcessor.exactResize(size[1], size[2], rescale, mean, std);
            }
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file + ": " + e.getMessage(), e);
        }
        if (processor.width() != config.imageSize() || processor.height() != config.imageSize()) {
            throw new InvalidInputException(file + ": gives " + processor.width() + "x" + processor.height()
                    + " images, the model takes " + config.imageSize() + "x" + config.imageSize());
        }
        return processor;
    }

    /**
     * {shortestEdge, width, height} of a size field: {@code {"shortest_edge": n}}, {@code {"height": h, "width": w}},
     * or a bare integer (a shortest edge when {@code intIsEdge}, as CLIP's older configs mean it, else a square).
     */
    private static int[] size(JsonFile json, String key, int fallback, boolean intIsEdge) {
        JsonNode n = json.root().path(key);
        if (n.isMissingNode() || n.isNull()) {
            return intIsEdge ? new int[] {fallback, 0, 0} : new int[] {0, fallback, fallback};
        }
        if (n.isIntegralNumber()) {
            int v = json.positive(key, fallback);
            return intIsEdge ? new int[] {v, 0, 0} : new int[] {0, v, v};
        }
        if (n.isObject() && n.has("shortest_edge")) {
            return new int[] {json.positive(n, "shortest_edge", 0), 0, 0};
        }
        if (n.isObject() && n.has("height") && n.has("width")) {
            return new int[] {0, json.positive(n, "width", 0), json.positive(n, "height", 0)};
        }
        throw new FileFormatException(json.file() + ": '" + key + "' must be an integer, {\"shortest_edge\": n} or "
                + "{\"height\": h, \"width\": w}, got " + n);
    }
}
