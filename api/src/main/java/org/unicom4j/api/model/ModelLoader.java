package org.unicom4j.api.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.EvalPreprocessor;
import org.unicom4j.data.image.Normalization;
import org.unicom4j.kernels.Backend;
import org.unicom4j.model.checkpoint.ModelId;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictMismatchException;
import org.unicom4j.model.checkpoint.StateDictReader;
import org.unicom4j.model.encoder.EncoderEmbedder;
import org.unicom4j.model.encoder.hf.HfBackbone;
import org.unicom4j.model.encoder.hf.HfCheckpointFiles;
import org.unicom4j.model.sscq.SscqConfig;
import org.unicom4j.model.sscq.SscqEmbedder;
import org.unicom4j.model.sscq.SscqModel;
import org.unicom4j.model.sscq.SscqStateDict;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitEmbedder;
import org.unicom4j.model.vit.VitInitializer;

/**
 * The one place a {@link ModelSource} becomes a {@link LoadedModel}, for every command, the library API and the
 * server. {@link #fromWeights} recognises the checkpoint family and builds its encoder: a Hugging Face CLIP or SigLIP
 * vision checkpoint ({@link HfCheckpointFiles#isHfCheckpoint}: a directory, or a file with a config.json beside it),
 * else an SSCQ model's safetensors file ({@link SscqStateDict#isSscq}: its encoder ViT, head and codebooks; it embeds
 * into its continuous features and {@link LoadedModel#sscq()} gives its codes), else Unicom weights read by
 * {@link StateDictReader} (torch {@code .pt} as released, or safetensors). A new
 * checkpoint family (another backbone's naming or layout) is recognised and built in that method.
 */
public final class ModelLoader {
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
     * tensor shapes with the released head dim of 64. An SSCQ model's file says its own shape.
     */
    public static LoadedModel fromWeights(Backend backend, Path weights, String shape, String id) throws IOException {
        if (!Files.exists(weights)) {
            throw new InvalidInputException(weights + ": weights not found");
        }
        if (HfCheckpointFiles.isHfCheckpoint(weights)) {
            if (shape != null) {
                throw new InvalidInputException("a model shape (--model) is for Unicom weights; " + weights + " is a Hugging "
                        + "Face checkpoint, whose shape comes from its config.json");
            }
            HfBackbone hf = HfBackbone.load(backend, weights);
            return new LoadedModel(hf, batch -> new EncoderEmbedder(hf.encoder(), batch), hf.config().outputDim(),
                    hf.preprocessing(), id != null ? id : hf.id(), hf.config(), hf.config().describe());
        }
        try (StateDict stateDict = StateDictReader.read(weights)) {
            if (SscqStateDict.isSscq(stateDict)) {
                if (shape != null) {
                    throw new InvalidInputException(weights + ": an SSCQ model, whose shape is in the file: drop "
                            + "--model");
                }
                return sscq(backend, weights, SscqStateDict.config(stateDict, weights),
                        id != null ? id : ModelId.ofWeights(weights));
            }
            VitConfig config = shape != null ? ModelPresets.resolve(shape) : configOf(weights, stateDict);
            VisionTransformer vit = new VisionTransformer(backend, config);
            try {
                StateDictIo.load(vit, StateDictIo.source(stateDict));
            } catch (StateDictMismatchException e) {
                vit.close();
                throw new StateDictMismatchException(weights + ": " + e.getMessage(), e);
            }
            return vit(vit, id != null ? id : ModelId.ofWeights(weights));
        }
    }

    /** A model of shape {@code shape} with the from-scratch initialisation (a baseline, or a smoke test). */
    public static LoadedModel random(Backend backend, String shape, long seed, String id) throws IOException {
        VitConfig config = ModelPresets.resolve(shape);
        VisionTransformer vit = new VisionTransformer(backend, config);
        VitInitializer.initializeFromScratch(vit, seed);
        return vit(vit, id != null ? id : "random:" + seed + ":" + LoadedModel.describe(config));
    }

    private static LoadedModel vit(VisionTransformer vit, String id) {
        VitConfig c = vit.config();
        return new LoadedModel(vit, batch -> new VitEmbedder(vit, batch), c.embedding(), preprocessing(c), id, c,
                LoadedModel.describe(c));
    }

    private static LoadedModel sscq(Backend backend, Path weights, SscqConfig config, String id) throws IOException {
        SscqModel sscq = new SscqModel(backend, config);
        try {
            SscqStateDict.load(sscq, weights);
        } catch (IOException | RuntimeException e) {
            sscq.close();
            throw e;
        }
        VitConfig c = config.encoder();
        return new LoadedModel(sscq, batch -> new SscqEmbedder(sscq, batch), config.featureDim(), preprocessing(c), id,
                c, String.format(Locale.ROOT, "SSCQ %d bits: %d codebooks of %d, features %d-d; encoder %s",
                config.bits(), config.books(), config.words(), config.featureDim(), LoadedModel.describe(c)));
    }

    /** Spec section 2's preprocessing; a one-channel model gets /255 only, as the demo trains it. */
    private static EvalPreprocessor preprocessing(VitConfig c) {
        return new EvalPreprocessor(c.imageSize(), c.channels() == 3 ? Normalization.CLIP : Normalization.unit(1));
    }

    private static VitConfig configOf(Path weights, StateDict stateDict) {
        try {
            return StateDictIo.savedConfig(stateDict);
        } catch (StateDictMismatchException e) {
            throw new StateDictMismatchException(weights + ": " + e.getMessage()
                    + "; name its shape (--model, or ModelSource.withShape: " + ModelPresets.names()
                    + " or a config JSON)", e);
        }
    }
}
