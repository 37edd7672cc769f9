package org.unicom4j.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.training.trainer.ForwardingImages;
import org.unicom4j.training.trainer.InMemoryImages;
import org.unicom4j.training.trainer.Prefetch;
import org.unicom4j.training.trainer.TinyTraining;
import org.unicom4j.training.trainer.TrainingDivergedException;
import org.unicom4j.training.trainer.TrainingImages;
import org.unicom4j.training.unicom.UnicomLearner;

/**
 * A NaN loss stops the run before the optimiser step, with a message naming the step; the state after the last
 * good step survives in memory and in the last checkpoint, and no checkpoint of a non-finite state can be written.
 */
class DivergenceTest {
    @TempDir
    Path dir;

    /** Images that turn to NaN on request (an injected bad input). */
    private static final class PoisonableImages extends ForwardingImages {
        volatile boolean poisoned;

        PoisonableImages(InMemoryImages images) {
            super(images);
        }

        @Override
        public void copyImage(int index, float[] dst, int offset, RandomGenerator augment) {
            images.copyImage(index, dst, offset, augment);
            if (poisoned) {
                java.util.Arrays.fill(dst, offset, offset + 64, Float.NaN);
            }
        }
    }

    @Test
    void nanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        Backend backend = TestBackends.get("cpu");
        PoisonableImages images = new PoisonableImages(TinyTraining.images(5, 56));
        CheckpointDirectory checkpoints = new CheckpointDirectory(dir, 2);
        checkpoints.create();
        try (VisionTransformer model = TinyTraining.model(backend, 1);
             // no prefetch: the images change between steps, and a batch built ahead would miss the change
             var trainer = TinyTraining.trainer(model, images, TinyTraining.config(3, 1e-3f), Prefetch.OFF)) {
            for (int s = 0; s < 2; s++) {
                trainer.step();
                TrainerCheckpoint.save(trainer, checkpoints.fileFor(trainer.globalStep()), null, null);
                checkpoints.prune();
            }
            float[] good = backend.buffers().download(model.parameters());
            images.poisoned = true;
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::step);
            assertEquals(3, e.step());
            assertTrue(e.getMessage().startsWith("loss is NaN at step 3 of 9 (epoch 1): training diverged"),
                    e.getMessage());
            assertArrayEquals(good, backend.buffers().download(model.parameters()), "no update from the bad step");
            assertEquals(2, trainer.globalStep());

            assertEquals(List.of(checkpoints.fileFor(1), checkpoints.fileFor(2)), checkpoints.list());
            try (VisionTransformer fresh = TinyTraining.model(backend, 3);
                 var restored = TinyTraining.trainer(fresh, images, TinyTraining.config(3, 1e-3f), Prefetch.DEFAULT)) {
                TrainerCheckpoint.restore(restored, checkpoints.latest().orElseThrow());
                assertArrayEquals(good, backend.buffers().download(fresh.parameters()), "the last checkpoint is the good state");
            }
        }
    }

    @Test
    void aCheckpointOfNonFiniteParametersIsRefusedAndTheOldFileKept() throws Exception {
        Backend backend = TestBackends.get("cpu");
        try (VisionTransformer model = TinyTraining.model(backend, 1);
             var trainer = TinyTraining.trainer(model, TinyTraining.images(5, 56), TinyTraining.config(1, 1e-3f),
                     Prefetch.DEFAULT)) {
            Path file = dir.resolve("step-000000001.safetensors");
            trainer.step();
            TrainerCheckpoint.save(trainer, file, null, null);
            byte[] before = Files.readAllBytes(file);
            var prototypes = ((UnicomLearner) trainer.learner()).loss().prototypes();
            backend.buffers().upload(new float[] {Float.POSITIVE_INFINITY}, 0, prototypes.slice(5, 1));
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> TrainerCheckpoint.save(trainer, file, null, null));
            assertTrue(e.getMessage().contains("tensor 'loss.prototypes' holds Infinity at element 5"), e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file));
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count(), "no temporary file left behind");
            }
        }
    }

    @Test
    void anAbsurdLearningRateDivergesWithAClearMessage() {
        Backend backend = TestBackends.get("cpu");
        try (VisionTransformer model = TinyTraining.model(backend, 1);
             var trainer = TinyTraining.trainer(model, TinyTraining.images(5, 56), TinyTraining.config(3, 1e30f),
                     Prefetch.DEFAULT)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> {
                while (!trainer.finished()) {
                    trainer.step();
                }
            });
            assertTrue(e.getMessage().contains("training diverged; lower the learning rate"), e.getMessage());
        }
    }
}
