package org.unicom4j.api.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictMismatchException;
import org.unicom4j.model.checkpoint.StateDictReader;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitInitializer;

/**
 * The one place a {@link ModelSource} becomes a {@link LoadedModel}, for every command, the library API and the
 * server. A weights file is read by {@link StateDictReader} (torch {@code .pt} as released, or safetensors), its
 * architecture and shape decided in {@link #fromWeights}, and the encoder built and filled there: a new checkpoint
 * family (another backbone's naming or layout) is recognised and built in that method.
 */
public final class ModelLoader {
    /** Head dim of the released models; the head count is not in a state dict's shapes. */
    static final int RELEASED_HEAD_DIM = 64;

    private ModelLoader() {
    }

    /** Opens {@code source} on {@code backend}. */
    public static LoadedModel load(Backend backend, ModelSource source) throws IOException {
        return source.weights() != null ? fromWeights(backend, source.weights(), source.shape(), source.id())
                : random(backend, source.shape(), source.randomSeed(), source.id());
    }

    /**
     * Loads {@code weights}. The shape comes from {@code shape} when given (a preset or config JSON), else from the
     * checkpoint's {@value StateDictIo#CONFIG_METADATA_KEY} metadata (as the trainer saves models), else from the
     * tensor shapes with the released head dim of 64.
     */
    public static LoadedModel fromWeights(Backend backend, Path weights, String shape, String id) throws IOException {
        if (!Files.isRegularFile(weights)) {
            throw new InvalidInputException(weights + ": weights file not found");
        }
        try (StateDict stateDict = StateDictReader.read(weights)) {
            VitConfig config = shape != null ? ModelPresets.resolve(shape) : configOf(weights, stateDict);
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

    /** A model of shape {@code shape} with the from-scratch initialisation (a baseline, or a smoke test). */
    public static LoadedModel random(Backend backend, String shape, long seed, String id) throws IOException {
        VitConfig config = ModelPresets.resolve(shape);
        VisionTransformer vit = new VisionTransformer(backend, config);
        VitInitializer.initializeFromScratch(vit, seed);
        return new LoadedModel(vit, id != null ? id : "random:" + seed + ":" + LoadedModel.describe(config));
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
                    + "; name its shape (--model, or ModelSource.withShape: " + ModelPresets.names()
                    + " or a config JSON)", e);
        }
    }
}
