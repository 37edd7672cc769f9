package org.unicom4j.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.training.trainer.Prefetch;
import org.unicom4j.training.trainer.TinyTraining;
import org.unicom4j.training.trainer.TrainConfig;

/** A checkpoint of another run is refused in one line naming the file and the field, before anything changes. */
class CheckpointMismatchTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointOfAnotherRunIsBadInputAndChangesNothing() throws Exception {
        Backend backend = TestBackends.get("cpu");
        Path file = dir.resolve("step-000000001.safetensors");
        try (VisionTransformer model = TinyTraining.model(backend, 1);
             var trainer = TinyTraining.trainer(model, TinyTraining.images(3, 56), TinyTraining.config(3, 1e-3f),
                     Prefetch.OFF)) {
            trainer.step();
            TrainerCheckpoint.save(trainer, file, null, null);
        }
        TrainConfig otherSeed = new TrainConfig(3, TinyTraining.BATCH, 1e-3f, "onecycle", 0.2, 1f, 99);
        try (VisionTransformer model = TinyTraining.model(backend, 2);
             var trainer = TinyTraining.trainer(model, TinyTraining.images(3, 56), otherSeed, Prefetch.OFF)) {
            float[] before = backend.buffers().download(model.parameters());
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> TrainerCheckpoint.restore(trainer, file));
            assertEquals(file + ": checkpoint seed is 7, this run's is 99", e.getMessage());
            assertArrayEquals(before, backend.buffers().download(model.parameters()), "nothing restored");
            assertEquals(0, trainer.globalStep());
        }
    }
}
