package org.unicom4j.training.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.data.loader.EpochOrder;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.vit.VisionTransformer;

/**
 * Building batches ahead changes nothing but timing: 9 steps over 3 epochs give bit-identical losses and final
 * parameters with prefetching off, at the default, and deep on several threads; a bad image in a batch built
 * ahead fails the step that needs it (not the one during which it was built), with the image's own message,
 * and leaves the position where it was.
 */
class PrefetchedTrainingTest {
    private static final int STEPS = 9;

    private static float[] run(Backend backend, TrainingImages images, Prefetch prefetch, float[][] finalParameters) {
        float[] losses = new float[STEPS];
        try (VisionTransformer model = TinyTraining.model(backend, 1);
             var trainer = TinyTraining.trainer(model, images, TinyTraining.config(3, 2e-3f), prefetch)) {
            assertEquals(STEPS, trainer.totalSteps());
            for (int s = 0; s < STEPS; s++) {
                losses[s] = trainer.step().loss();
            }
            finalParameters[0] = backend.buffers().download(model.parameters());
        }
        return losses;
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void prefetchingGivesTheSameRunAsSteppingSynchronously(String backendName) {
        Backend backend = TestBackends.get(backendName);
        InMemoryImages images = TinyTraining.images(3, 56);
        float[][] syncParams = new float[1][];
        float[] sync = run(backend, images, Prefetch.OFF, syncParams);
        for (Prefetch p : new Prefetch[] {Prefetch.DEFAULT, new Prefetch(4, 3)}) {
            float[][] params = new float[1][];
            assertArrayEquals(sync, run(backend, images, p, params), p + ": per-step losses");
            assertArrayEquals(syncParams[0], params[0], p + ": final parameters");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void aBadImageFailsTheStepThatNeedsIt(String backendName) {
        Backend backend = TestBackends.get(backendName);
        InMemoryImages good = TinyTraining.images(3, 56);
        long shuffleSeed = RandomStreams.seed(TinyTraining.config(3, 2e-3f).seed(), RandomStreams.SHUFFLE);
        int bad = EpochOrder.order(56, shuffleSeed, 0, true)[2 * 16 + 3]; // in step 3's batch (global step 2)
        float[][] unused = new float[1][];
        float[] goodLosses = run(backend, good, Prefetch.OFF, unused);
        for (Prefetch p : new Prefetch[] {Prefetch.OFF, Prefetch.DEFAULT, new Prefetch(4, 3)}) {
            try (VisionTransformer model = TinyTraining.model(backend, 1);
                 var trainer = TinyTraining.trainer(model, new FailingImages(good, Set.of(bad)),
                         TinyTraining.config(3, 2e-3f), p)) {
                assertEquals(goodLosses[0], trainer.step().loss(), p.toString());
                assertEquals(goodLosses[1], trainer.step().loss(), p + ": the step building the bad batch ahead");
                for (int attempt = 0; attempt < 2; attempt++) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, trainer::step);
                    assertEquals("image " + bad + " is not an image", e.getMessage(), p.toString());
                    assertEquals(2, trainer.globalStep(), p + ": the position stays");
                }
            }
        }
    }
}
