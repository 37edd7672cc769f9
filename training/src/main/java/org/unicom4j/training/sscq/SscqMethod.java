package org.unicom4j.training.sscq;

import java.io.IOException;
import java.nio.file.Path;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictReader;
import org.unicom4j.model.sscq.SscqModel;
import org.unicom4j.model.sscq.SscqStateDict;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.training.config.ModelSpec;
import org.unicom4j.training.method.MethodModel;
import org.unicom4j.training.method.TrainingMethod;

/**
 * {@code sscq}: self-supervised consistent quantisation (spec sscq.md), an encoder, a projection head and product
 * codebooks trained without labels from two augmented views of each image. {@code weights} may be an SSCQ model
 * (trained further) or a plain ViT (its encoder; the head and codebooks start from scratch).
 */
public final class SscqMethod implements TrainingMethod {

    @Override
    public String name() {
        return "sscq";
    }

    @Override
    public MethodModel open(org.unicom4j.kernels.Backend backend, ModelSpec spec, long seed) throws IOException {
        SscqModel model = new SscqModel(backend, spec.sscq());
        try {
            model.initializeFromScratch(seed);
            if (spec.weights() != null) {
                Path file = Path.of(spec.weights());
                boolean sscq;
                try (StateDict sd = StateDictReader.read(file)) {
                    sscq = SscqStateDict.isSscq(sd);
                }
                if (sscq) {
                    SscqStateDict.load(model, file);
                } else {
                    StateDictIo.load(model.encoder(), file);
                }
            }
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return new SscqNetworkModel(model);
    }
}
