package org.unicom4j.api.model;

import java.util.Locale;
import org.unicom4j.data.image.EvalPreprocessor;
import org.unicom4j.data.image.Normalization;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;

/**
 * A ViT ready to embed, its inference preprocessing (spec section 2: shorter side to the input size, bicubic,
 * centre crop, /255, CLIP normalisation; a one-channel model gets /255 only, as the demo trains it) and the id
 * an index records so that queries are embedded by the same model. Made by {@link ModelLoader}; owns the model's
 * parameters (not the backend).
 */
public final class LoadedModel implements AutoCloseable {
    private final VisionTransformer model;
    private final EvalPreprocessor preprocessing;
    private final String id;

    LoadedModel(VisionTransformer model, String id) {
        this.model = model;
        VitConfig c = model.config();
        this.preprocessing = new EvalPreprocessor(c.imageSize(), c.channels() == 3 ? Normalization.CLIP
                : Normalization.unit(1));
        this.id = id;
    }

    public VisionTransformer model() {
        return model;
    }

    public VitConfig config() {
        return model.config();
    }

    /** What turns a decoded image into this model's input. */
    public EvalPreprocessor preprocessing() {
        return preprocessing;
    }

    /** What an index records to tell models apart: weights file name and size, or the random seed and shape. */
    public String id() {
        return id;
    }

    /** The id and the shape, for logs. */
    public String describe() {
        return id + " (" + describe(config()) + ")";
    }

    /** One line naming the shape: input size, patch, channels, width, depth, heads, embedding dim. */
    public static String describe(VitConfig c) {
        return String.format(Locale.ROOT, "ViT %dpx/%d, %d ch, width %d, depth %d, heads %d, emb %d", c.imageSize(),
                c.patch(), c.channels(), c.width(), c.depth(), c.heads(), c.embedding());
    }

    @Override
    public void close() {
        model.close();
    }
}
