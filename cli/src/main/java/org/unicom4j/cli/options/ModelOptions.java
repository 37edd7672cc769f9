package org.unicom4j.cli.options;

import java.io.IOException;
import java.nio.file.Path;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.api.model.ModelLoader;
import org.unicom4j.api.model.ModelSource;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import picocli.CommandLine.Option;

/** {@code --weights}, {@code --model}, {@code --random-weights}, {@code --batch}: the model that embeds images. */
public final class ModelOptions {

    @Option(names = "--weights", paramLabel = "PATH",
            description = "model weights: a released Unicom .pt (e.g. FP16-ViT-B-32.pt) or a safetensors file; or a "
                    + "Hugging Face CLIP or SigLIP vision checkpoint: its directory (config.json, model.safetensors "
                    + "or a sharded index, preprocessor_config.json), or its .safetensors with config.json beside it")
    Path weights;

    @Option(names = "--model", paramLabel = "NAME|JSON",
            description = "model shape: ViT-B/32, ViT-B/16, ViT-L/14, ViT-L/14@336px, tiny, small, or a VitConfig "
                    + "JSON file (default: read off the weights, head dim 64 as released)")
    String model;

    @Option(names = "--random-weights", paramLabel = "SEED", arity = "0..1", fallbackValue = "0",
            description = "no weights file: initialise --model from scratch with this seed (a baseline or a smoke "
                    + "test; the embeddings mean nothing)")
    Long randomSeed;

    @Option(names = "--model-id", paramLabel = "ID",
            description = "the id recorded with the embeddings and checked by an index (default: weights file name "
                    + "and size)")
    String modelId;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N",
            description = "images per forward pass (default: ${DEFAULT-VALUE})")
    int batch = 32;

    @Option(names = "--loader-threads", defaultValue = "2", paramLabel = "N",
            description = "threads decoding and preprocessing images (default: ${DEFAULT-VALUE})")
    int loaderThreads = 2;

    /** Whether any model option was given (commands that also accept precomputed embeddings ask this). */
    public boolean given() {
        return weights != null || randomSeed != null;
    }

    /** The {@code --model-id} given, or null. */
    public String modelId() {
        return modelId;
    }

    public int batch() {
        return batch;
    }

    public int loaderThreads() {
        return loaderThreads;
    }

    /** Checks the option combination; each problem is a one-line error naming the options. */
    public void validate() {
        if (weights == null && randomSeed == null) {
            throw new InvalidInputException("no model: give --weights PATH (a released .pt, safetensors, or a "
                    + "Hugging Face CLIP/SigLIP checkpoint), or --random-weights with --model");
        }
        if (weights != null && randomSeed != null) {
            throw new InvalidInputException("--weights and --random-weights exclude each other");
        }
        if (randomSeed != null && model == null) {
            throw new InvalidInputException("--random-weights needs --model to say which shape to initialise");
        }
        if (weights != null && !java.nio.file.Files.exists(weights)) {
            throw new InvalidInputException(weights + ": weights not found");
        }
        if (batch < 1 || loaderThreads < 1) {
            throw new InvalidInputException("--batch and --loader-threads must be >= 1, got " + batch + " and "
                    + loaderThreads);
        }
    }

    public LoadedModel load(Backend backend) throws IOException {
        return ModelLoader.load(backend, source());
    }

    /** The model these options name, after {@link #validate()}. */
    public ModelSource source() {
        validate();
        return new ModelSource(weights, model, randomSeed, modelId);
    }
}
