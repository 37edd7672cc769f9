package org.unicom4j.training.unicom;

import java.io.IOException;
import java.nio.file.Path;
import org.unicom4j.kernels.Backend;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitInitializer;
import org.unicom4j.training.config.ModelSpec;
import org.unicom4j.training.method.MethodModel;
import org.unicom4j.training.method.TrainingMethod;

/**
 * {@code unicom}: a whole ViT trained by cluster discrimination on pseudo-classes, or by supervised margin
 * softmax on true labels (spec unicom.md sections 3-5), with the sampled margin softmax over class prototypes.
 */
public final class UnicomMethod implements TrainingMethod {

    @Override
    public String name() {
        return "unicom";
    }

    @Override
    public MethodModel open(Backend backend, ModelSpec spec, long seed) throws IOException {
        VisionTransformer vit = new VisionTransformer(backend, spec.vit());
        try {
            if (spec.weights() != null) {
                StateDictIo.load(vit, Path.of(spec.weights()));
            } else {
                VitInitializer.initializeFromScratch(vit, seed);
            }
        } catch (IOException | RuntimeException e) {
            vit.close();
            throw e;
        }
        return new VitModel(vit);
    }
}
