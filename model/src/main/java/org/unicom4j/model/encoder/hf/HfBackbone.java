package org.unicom4j.model.encoder.hf;

import java.io.IOException;
import java.nio.file.Path;
import org.unicom4j.data.image.HfImageProcessor;
import org.unicom4j.kernels.Backend;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictMismatchException;
import org.unicom4j.model.encoder.EncoderConfig;
import org.unicom4j.model.encoder.VisionEncoder;

/**
 * Loads a CLIP or SigLIP vision tower from a Hugging Face checkpoint as released: the vision tensors are those under
 * {@code vision_model.} (less the {@code position_ids} buffers older files carry) and CLIP's
 * {@code visual_projection.weight}; a text tower, {@code logit_scale} and the like are skipped. CLIP's projection is
 * used when the weights have one (CLIPModel, CLIPVisionModelWithProjection). Everything is checked, config against
 * weights, before device memory is allocated.
 *
 * @param encoder       the tower on its backend
 * @param preprocessing its image preprocessing
 * @param id            what an index records: the checkpoint's directory name and weight bytes
 */
public record HfBackbone(VisionEncoder encoder, HfImageProcessor preprocessing, String id) implements AutoCloseable {
    static final String VISION_PREFIX = "vision_model.";
    static final String PROJECTION = "visual_projection.weight";

    /** {@code weights}: a checkpoint directory, its safetensors file or its sharded index. */
    public static HfBackbone load(Backend backend, Path weights) throws IOException {
        HfCheckpointFiles files = HfCheckpointFiles.locate(weights);
        EncoderConfig config = HfVisionConfig.read(files.config());
        try (HfTensors tensors = HfTensors.open(files)) {
            if (!tensors.contains(PROJECTION)) {
                config = config.withProjection(0);
            } else if (config.projection() > 0) {
                HostTensor p = tensors.get(PROJECTION);
                if (p.rank() == 2 && p.shape()[0] != config.projection()) {
                    throw new StateDictMismatchException(weights + ": '" + PROJECTION + "' has " + p.shape()[0]
                            + " rows, " + files.config().getFileName() + " says projection_dim "
                            + config.projection());
                }
            }
            HfImageProcessor preprocessing = files.preprocessorConfig() != null
                    ? HfPreprocessing.read(files.preprocessorConfig(), config) : HfPreprocessing.defaults(config);
            StateDict vision = tensors.select(HfBackbone::isVisionTensor);
            if (vision.isEmpty()) {
                throw new StateDictMismatchException(weights + ": no '" + VISION_PREFIX + "' tensors: not the weights"
                        + " of a Hugging Face vision model");
            }
            VisionEncoder encoder;
            try {
                encoder = VisionEncoder.load(backend, config, vision);
            } catch (StateDictMismatchException e) {
                throw new StateDictMismatchException(e.getMessage() + " for a " + config.describe() + " (as "
                        + files.config().getFileName() + " describes it)", e);
            }
            Path dir = files.config().toAbsolutePath().getParent();
            String name = dir.getFileName() != null ? dir.getFileName().toString() : dir.toString();
            return new HfBackbone(encoder, preprocessing, name + ":" + files.weightBytes());
        }
    }

    static boolean isVisionTensor(String name) {
        return name.equals(PROJECTION) || name.startsWith(VISION_PREFIX) && !name.endsWith(".position_ids");
    }

    public EncoderConfig config() {
        return encoder.config();
    }

    @Override
    public void close() {
        encoder.close();
    }
}
