package org.unicom4j.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.training.trainer.InMemoryImages;
import org.unicom4j.training.trainer.Prefetch;
import org.unicom4j.training.trainer.TinyTraining;
import org.unicom4j.training.trainer.TrainConfig;
import org.unicom4j.training.trainer.Trainer;
import org.unicom4j.training.loss.CurricularStatistic;
import org.unicom4j.training.loss.SampledMarginSoftmax;
import org.unicom4j.training.unicom.UnicomLearner;

/**
 * Stop-and-resume is exact: 9 steps straight, and 4 steps + checkpoint + a new model, loss and optimiser (built
 * from a different initialisation, so only the checkpoint can make them agree) + restore + 5 steps, give the
 * same loss at every step and bit-identical parameters, prototypes and moments at the end. Step 4 is inside the
 * second epoch, so the epoch order, augmentation, sampler and stochastic-depth streams must all resume mid-way; and
 * with an adaptive margin, its running statistic too.
 */
class ExactResumeTest {
    private static final int TOTAL = 9;
    private static final int STOP = 4;

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void resumedRunMatchesUninterruptedRunBitForBit(String backendName) throws Exception {
        check(TestBackends.get(backendName), TinyTraining::learner);
    }

    /** The same with CurricularFace over 2 sub-centres per class: its running t must come back from the checkpoint. */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void adaptiveMarginResumesItsRunningStatistic(String backendName) throws Exception {
        Backend backend = TestBackends.get(backendName);
        check(backend, model -> new UnicomLearner(model, TinyTraining.curricularSubCentres(backend), 10f, 0.05f,
                TinyTraining.BATCH, TinyTraining.SEED));
    }

    private void check(Backend backend, Function<VisionTransformer, UnicomLearner> learner) throws Exception {
        InMemoryImages images = TinyTraining.images(3, 56);
        TrainConfig config = TinyTraining.config(3, 2e-3f);

        float[] straight = new float[TOTAL];
        float[][] straightState;
        try (VisionTransformer model = TinyTraining.model(backend, 1);
             var trainer = new Trainer(learner.apply(model), images, config, Prefetch.DEFAULT)) {
            assertEquals(TOTAL, trainer.totalSteps());
            for (int s = 0; s < TOTAL; s++) {
                straight[s] = trainer.step().loss();
            }
            straightState = state(trainer);
        }

        float[] resumed = new float[TOTAL];
        Path checkpoint = dir.resolve("step-4.safetensors");
        try (VisionTransformer model = TinyTraining.model(backend, 1);
             var trainer = new Trainer(learner.apply(model), images, config, Prefetch.DEFAULT)) {
            for (int s = 0; s < STOP; s++) {
                resumed[s] = trainer.step().loss();
            }
            TrainerCheckpoint.save(trainer, checkpoint, "{\"note\":\"test\"}", "stage-x");
        }
        try (VisionTransformer model = TinyTraining.model(backend, 99);
             var trainer = new Trainer(learner.apply(model), images, config, Prefetch.DEFAULT)) {
            TrainerCheckpoint.Info info = TrainerCheckpoint.restore(trainer, checkpoint);
            assertEquals(STOP, info.globalStep());
            assertEquals(1, info.epoch());
            assertEquals(1, info.stepInEpoch());
            assertEquals("{\"note\":\"test\"}", info.runConfig());
            assertEquals("stage-x", info.stage());
            assertEquals(STOP, trainer.globalStep());
            for (int s = STOP; s < TOTAL; s++) {
                resumed[s] = trainer.step().loss();
            }
            float[][] resumedState = state(trainer);
            assertArrayEquals(straight, resumed, "per-step losses");
            for (int i = 0; i < straightState.length; i++) {
                assertArrayEquals(straightState[i], resumedState[i], "final state tensor " + i);
            }
        }
    }

    /** Parameters, running statistics, prototypes and both moments of both groups. */
    private static float[][] state(Trainer trainer) {
        UnicomLearner learner = (UnicomLearner) trainer.learner();
        var buffers = learner.backend().buffers();
        var opt = trainer.optimizer();
        return new float[][] {buffers.download(learner.model().parameters()),
                buffers.download(learner.model().statistics()), buffers.download(learner.loss().prototypes()),
                buffers.download(opt.firstMoment(0)), buffers.download(opt.secondMoment(0)),
                buffers.download(opt.firstMoment(1)), buffers.download(opt.secondMoment(1)),
                {learner.loss() instanceof SampledMarginSoftmax l && l.policy() instanceof CurricularStatistic c
                        ? c.t() : 0}};
    }
}
