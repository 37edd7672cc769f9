package org.unicom4j.training.head;

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
import org.unicom4j.training.config.HeadSpec;
import org.unicom4j.training.config.ModelSpec;
import org.unicom4j.training.method.MethodModel;
import org.unicom4j.training.method.TrainingMethod;

/**
 * {@code head}: a projection head on a frozen backbone's cached features, trained with any loss of the margin-loss
 * family (spec unifex.md). The backbone, when the config names it, is loaded only to check the features against it
 * and to compose the trained head with it into one model.
 */
public final class HeadMethod implements TrainingMethod {

    @Override
    public String name() {
        return "head";
    }

    @Override
    public MethodModel open(Backend backend, ModelSpec spec, long seed) throws IOException {
        HeadSpec head = spec.head();
        if (head == null) {
            throw new IllegalArgumentException("method head needs a head model spec");
        }
        return new HeadModel(backend, head, head.backbone() == null ? null : backbone(backend,
                Path.of(head.backbone())), seed);
    }

    private static VisionTransformer backbone(Backend backend, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("model.backbone: " + file + ": no such model file");
        }
        try (StateDict dict = StateDictReader.read(file)) {
            VisionTransformer vit = new VisionTransformer(backend, StateDictIo.savedConfig(dict));
            try {
                StateDictIo.load(vit, StateDictIo.source(dict));
            } catch (RuntimeException e) {
                vit.close();
                throw e;
            }
            return vit;
        } catch (StateDictMismatchException e) {
            throw new StateDictMismatchException("model.backbone: " + file + ": " + e.getMessage(), e);
        }
    }
}
