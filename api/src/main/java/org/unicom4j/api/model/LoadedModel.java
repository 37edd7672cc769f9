package org.unicom4j.api.model;

import java.util.Locale;
import java.util.function.IntFunction;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.ImageTransform;
import org.unicom4j.model.ImageEncoder;
import org.unicom4j.model.sscq.SscqModel;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitEmbedder;

/**
 * A model ready to embed: its encoder (a Unicom ViT or a Hugging Face CLIP / SigLIP vision tower), its inference
 * preprocessing, and the id an index records so that queries are embedded by the same model. Made by
 * {@link ModelLoader}; owns the model's parameters (not the backend).
 */
public final class LoadedModel implements AutoCloseable {
    private final AutoCloseable network;
    private final IntFunction<ImageEncoder> encoders;
    private final int dim;
    private final ImageTransform preprocessing;
    private final String id;
    private final Object shape;
    private final String shapeText;

    LoadedModel(AutoCloseable network, IntFunction<ImageEncoder> encoders, int dim, ImageTransform preprocessing,
                String id, Object shape, String shapeText) {
        this.network = network;
        this.encoders = encoders;
        this.dim = dim;
        this.preprocessing = preprocessing;
        this.id = id;
        this.shape = shape;
        this.shapeText = shapeText;
    }

    /** Floats per embedding. */
    public int dim() {
        return dim;
    }

    /** Inference buffers for batches of up to {@code maxBatch} images; close it after use. */
    public ImageEncoder encoder(int maxBatch) {
        return encoders.apply(maxBatch);
    }

    /**
     * This model embedding into the tokens its own head projects (a Unicom ViT's final LayerNorm output, flattened
     * token-major: tokens x width floats), for a head trained on them; shares this model's network (closing the view
     * closes nothing).
     */
    public LoadedModel tokens() {
        if (!(network instanceof VisionTransformer vit)) {
            throw new InvalidInputException(id + ": tokens are a Unicom ViT's; this model is " + shapeText);
        }
        return new LoadedModel(() -> { }, batch -> new VitEmbedder(vit, batch, VitEmbedder.Output.TOKENS),
                vit.config().flatDim(), preprocessing, id, shape, shapeText);
    }

    /** The SSCQ model whose continuous features this model embeds into (its codes come from it), or null. */
    public SscqModel sscq() {
        return network instanceof SscqModel s ? s : null;
    }

    /** What turns a decoded image into this model's input. */
    public ImageTransform preprocessing() {
        return preprocessing;
    }

    /** The model's shape as embed.json records it (a VitConfig, or a vision tower's config). */
    public Object shape() {
        return shape;
    }

    /** What an index records to tell models apart: weights file name and size, or the random seed and shape. */
    public String id() {
        return id;
    }

    /** The id and the shape, for logs. */
    public String describe() {
        return id + " (" + shapeText + ")";
    }

    /** One line naming a ViT's shape: input size, patch, channels, width, depth, heads, embedding dim. */
    public static String describe(VitConfig c) {
        return String.format(Locale.ROOT, "ViT %dpx/%d, %d ch, width %d, depth %d, heads %d, emb %d", c.imageSize(),
                c.patch(), c.channels(), c.width(), c.depth(), c.heads(), c.embedding());
    }

    @Override
    public void close() {
        try {
            network.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing " + id + ": " + e.getMessage(), e);
        }
    }
}
