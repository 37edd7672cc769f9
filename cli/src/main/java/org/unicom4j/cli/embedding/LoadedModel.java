package org.unicom4j.cli.embedding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntFunction;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.EvalPreprocessor;
import org.unicom4j.data.image.ImageTransform;
import org.unicom4j.data.image.Normalization;
import org.unicom4j.kernels.Backend;
import org.unicom4j.model.ImageEmbedder;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictMismatchException;
import org.unicom4j.model.checkpoint.StateDictReader;
import org.unicom4j.model.encoder.EncoderEmbedder;
import org.unicom4j.model.encoder.hf.HfBackbone;
import org.unicom4j.model.encoder.hf.HfCheckpointFiles;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitEmbedder;
import org.unicom4j.model.vit.VitInitializer;

/**
 * A model ready to embed: a Unicom ViT (preprocessing of spec section 2: shorter side to the input size, bicubic,
 * centre crop, /255, CLIP normalisation; a one-channel model gets /255 only, as the demo trains it) or a Hugging Face
 * CLIP / SigLIP vision tower (its preprocessor_config.json), and the id an index records so that queries are
 * embedded by the same model.
 */
public final class LoadedModel implements AutoCloseable {
    /** Head dim of the released models; the head count is not in a state dict's shapes. */
    static final int RELEASED_HEAD_DIM = 64;

    private final AutoCloseable network;
    private final IntFunction<ImageEmbedder> embedders;
    private final int dim;
    private final ImageTransform preprocessing;
    private final String id;
    private final Object shape;
    private final String shapeText;

    private LoadedModel(AutoCloseable network, IntFunction<ImageEmbedder> embedders, int dim,
                        ImageTransform preprocessing, String id, Object shape, String shapeText) {
        this.network = network;
        this.embedders = embedders;
        this.dim = dim;
        this.preprocessing = preprocessing;
        this.id = id;
        this.shape = shape;
        this.shapeText = shapeText;
    }

    private static LoadedModel vit(VisionTransformer vit, String id) {
        VitConfig c = vit.config();
        return new LoadedModel(vit, batch -> new VitEmbedder(vit, batch), c.embedding(),
                new EvalPreprocessor(c.imageSize(), c.channels() == 3 ? Normalization.CLIP : Normalization.unit(1)),
                id, c, describe(c));
    }

    /**
     * Loads {@code weights}: a Hugging Face CLIP or SigLIP checkpoint (a directory, or a file with a config.json
     * beside it: see {@link HfCheckpointFiles#isHfCheckpoint}), or Unicom weights (a torch.save {@code .pt} as
     * released, or safetensors), whose shape comes from {@code model} when given (a preset or config JSON), else
     * from the checkpoint's {@value StateDictIo#CONFIG_METADATA_KEY} metadata, else from the tensor shapes with the
     * released head dim of 64.
     */
    public static LoadedModel fromWeights(Backend backend, Path weights, String model, String id) throws IOException {
        if (!Files.exists(weights)) {
            throw new InvalidInputException(weights + ": weights not found");
        }
        if (HfCheckpointFiles.isHfCheckpoint(weights)) {
            if (model != null) {
                throw new InvalidInputException("--model is for Unicom weights; " + weights + " is a Hugging Face "
                        + "checkpoint, whose shape comes from its config.json");
            }
            HfBackbone hf = HfBackbone.load(backend, weights);
            return new LoadedModel(hf, batch -> new EncoderEmbedder(hf.encoder(), batch), hf.config().outputDim(),
                    hf.preprocessing(), id != null ? id : hf.id(), hf.config(), hf.config().describe());
        }
        try (StateDict stateDict = StateDictReader.read(weights)) {
            VitConfig config = model != null ? ModelPresets.resolve(model) : configOf(weights, stateDict);
            VisionTransformer vit = new VisionTransformer(backend, config);
            try {
                StateDictIo.load(vit, StateDictIo.source(stateDict));
            } catch (StateDictMismatchException e) {
                vit.close();
                throw new StateDictMismatchException(weights + ": " + e.getMessage(), e);
            }
            return vit(vit, id != null ? id : weights.getFileName() + ":" + Files.size(weights));
        }
    }

    /** A model of shape {@code model} with the from-scratch initialisation (a baseline, or a smoke test). */
    public static LoadedModel random(Backend backend, String model, long seed, String id) throws IOException {
        VitConfig config = ModelPresets.resolve(model);
        VisionTransformer vit = new VisionTransformer(backend, config);
        VitInitializer.initializeFromScratch(vit, seed);
        return vit(vit, id != null ? id : "random:" + seed + ":" + describe(config));
    }

    private static VitConfig configOf(Path weights, StateDict stateDict) {
        String json = stateDict.metadata().get(StateDictIo.CONFIG_METADATA_KEY);
        if (json != null) {
            return VitConfig.fromJson(json);
        }
        try {
            return StateDictIo.inferConfig(StateDictIo.source(stateDict), RELEASED_HEAD_DIM, 0.0);
        } catch (StateDictMismatchException e) {
            throw new StateDictMismatchException(weights + ": " + e.getMessage()
                    + "; name its shape with --model (" + ModelPresets.names() + " or a config JSON)", e);
        }
    }

    /** Floats per embedding. */
    public int dim() {
        return dim;
    }

    /** Inference buffers for batches of up to {@code maxBatch} images; close it after use. */
    public ImageEmbedder embedder(int maxBatch) {
        return embedders.apply(maxBatch);
    }

    public ImageTransform preprocessing() {
        return preprocessing;
    }

    /** The model's shape as embed.json records it (a VitConfig or an EncoderConfig). */
    public Object shape() {
        return shape;
    }

    /** What an index records to tell models apart: weights file name and size, or the random seed and shape. */
    public String id() {
        return id;
    }

    public String describe() {
        return id + " (" + shapeText + ")";
    }

    static String describe(VitConfig c) {
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
