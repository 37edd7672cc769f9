package org.unicom4j.cli.embedding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.EvalPreprocessor;
import org.unicom4j.data.image.Normalization;
import org.unicom4j.kernels.Backend;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictMismatchException;
import org.unicom4j.model.checkpoint.StateDictReader;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitInitializer;

/**
 * A ViT ready to embed, its inference preprocessing (spec section 2: shorter side to the input size, bicubic,
 * centre crop, /255, CLIP normalisation; a one-channel model gets /255 only, as the demo trains it) and the id
 * an index records so that queries are embedded by the same model.
 */
public final class LoadedModel implements AutoCloseable {
    /** Head dim of the released models; the head count is not in a state dict's shapes. */
    static final int RELEASED_HEAD_DIM = 64;

    private final VisionTransformer model;
    private final EvalPreprocessor preprocessing;
    private final String id;

    private LoadedModel(VisionTransformer model, String id) {
        this.model = model;
        VitConfig c = model.config();
        this.preprocessing = new EvalPreprocessor(c.imageSize(), c.channels() == 3 ? Normalization.CLIP
                : Normalization.unit(1));
        this.id = id;
    }

    /**
     * Loads {@code weights} (a torch.save {@code .pt} as released, or safetensors). The shape comes from
     * {@code model} when given (a preset or config JSON), else from the checkpoint's {@value StateDictIo#CONFIG_METADATA_KEY}
     * metadata, else from the tensor shapes with the released head dim of 64.
     */
    public static LoadedModel fromWeights(Backend backend, Path weights, String model, String id) throws IOException {
        if (!Files.isRegularFile(weights)) {
            throw new InvalidInputException(weights + ": weights file not found");
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
            return new LoadedModel(vit, id != null ? id : weights.getFileName() + ":" + Files.size(weights));
        }
    }

    /** A model of shape {@code model} with the from-scratch initialisation (a baseline, or a smoke test). */
    public static LoadedModel random(Backend backend, String model, long seed, String id) throws IOException {
        VitConfig config = ModelPresets.resolve(model);
        VisionTransformer vit = new VisionTransformer(backend, config);
        VitInitializer.initializeFromScratch(vit, seed);
        return new LoadedModel(vit, id != null ? id : "random:" + seed + ":" + describe(config));
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

    public VisionTransformer model() {
        return model;
    }

    public VitConfig config() {
        return model.config();
    }

    public EvalPreprocessor preprocessing() {
        return preprocessing;
    }

    /** What an index records to tell models apart: weights file name and size, or the random seed and shape. */
    public String id() {
        return id;
    }

    public String describe() {
        return id + " (" + describe(config()) + ")";
    }

    static String describe(VitConfig c) {
        return String.format(Locale.ROOT, "ViT %dpx/%d, %d ch, width %d, depth %d, heads %d, emb %d", c.imageSize(),
                c.patch(), c.channels(), c.width(), c.depth(), c.heads(), c.embedding());
    }

    @Override
    public void close() {
        model.close();
    }
}
