package org.unicom4j.training.trainer;

import java.util.Locale;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.training.optim.AdamW;
import org.unicom4j.training.optim.GradientClipping;
import org.unicom4j.training.optim.OneCycleSchedule;
import org.unicom4j.training.optim.Schedule;
import org.unicom4j.training.optim.WarmupCosineSchedule;
import org.unicom4j.training.random.SplitMix64;

/**
 * The training engine's loop, the same for every method: each step takes the next batch (shuffled per epoch,
 * augmented, built ahead on background threads), lets the {@link Learner} run forward and backward, stops on a
 * NaN or infinite loss before anything is updated, clips the gradients if asked, and updates every parameter
 * group with AdamW at the scheduled learning rate. Buffers are allocated once.
 *
 * <p>The run is a sequence of {@link #totalSteps()} steps at a position (epoch, step in epoch, global step).
 * Every random draw depends only on the seed and that position, or on the sampler's {@link SplitMix64} state,
 * so {@link org.unicom4j.training.checkpoint.TrainerCheckpoint} can stop and resume a run exactly. For the same
 * reason the next steps' batches can be decoded and augmented on background threads while the backend runs the
 * current step ({@link Prefetch}) without changing anything but the time a step waits for its data.
 */
public final class Trainer implements AutoCloseable {
    private final Learner learner;
    private final TrainConfig config;
    private final AdamW optimizer;
    private final Schedule schedule;
    private final GradientClipping clipping;
    private final BatchPrefetcher batches;
    private final long stepsPerEpoch;
    private final long totalSteps;
    private final SplitMix64 samplingRandom;
    private int epoch;
    private long stepInEpoch;
    private long globalStep;
    private EpochTally tally = EpochTally.EMPTY;
    private long startNanos = -1;
    private long startStep;

    /**
     * A trainer of {@code learner} (which it owns and closes) on {@code images}, building its batches as
     * {@code prefetch} says (the batches, and so the run, are the same for every setting). Close it to stop the
     * background threads.
     */
    public Trainer(Learner learner, TrainingImages images, TrainConfig config, Prefetch prefetch) {
        this.learner = learner;
        this.config = config;
        int batch = config.batchSize();
        this.stepsPerEpoch = images.count() / batch; // the last partial batch is dropped, as drop_last=True
        if (stepsPerEpoch < 1) {
            learner.close();
            throw new InvalidInputException(images.count() + " images are fewer than one batch of " + batch);
        }
        this.totalSteps = stepsPerEpoch * config.epochs();
        this.schedule = schedule(config, config.warmupSteps(stepsPerEpoch, totalSteps), totalSteps);
        this.optimizer = new AdamW(learner.backend(), learner.parameterGroups(), 0.999f, 1e-8f);
        this.clipping = config.maxGradNorm() > 0 && learner.clippedGradients() != null
                ? new GradientClipping(learner.backend(), learner.clippedGradients(), config.maxGradNorm()) : null;
        this.samplingRandom = new SplitMix64(RandomStreams.seed(config.seed(), RandomStreams.SAMPLING));
        // threads start with the first step: a trainer that is only built (or restored and closed) starts none
        this.batches = new BatchPrefetcher(images, batch, learner.views(), stepsPerEpoch, totalSteps,
                RandomStreams.seed(config.seed(), RandomStreams.SHUFFLE),
                RandomStreams.seed(config.seed(), RandomStreams.AUGMENT), prefetch);
    }

    private static Schedule schedule(TrainConfig config, long warmupSteps, long totalSteps) {
        if (config.schedule().equals("onecycle")) {
            // deepglint/unicom retrieval.py: OneCycleLR defaults (div 25, final div 1e4, beta1 0.95 -> 0.85)
            double share = config.warmupEpochs() > 0 ? (double) warmupSteps / totalSteps : config.warmupFraction();
            return new OneCycleSchedule(config.learningRate(), totalSteps, share, 25, 1e4, 0.85f, 0.95f);
        }
        return new WarmupCosineSchedule(config.learningRate(), config.learningRate() * (float) config.floor(),
                warmupSteps, totalSteps, 0.9f);
    }

    /**
     * One optimisation step at the current position, which then advances. Throws
     * {@link TrainingDivergedException} on a NaN or infinite loss before anything is updated, and what reading or
     * augmenting an image of this step's batch threw (e.g. an unreadable file) before anything is computed; the
     * position stays, so calling again retries the step.
     */
    public StepMetrics step() {
        if (finished()) {
            throw new IllegalStateException("training finished: all " + totalSteps + " steps done");
        }
        long stepStart = System.nanoTime();
        if (startNanos < 0) {
            startNanos = stepStart;
            startStep = globalStep;
        }
        int batch = config.batchSize();
        long dataBefore = batches.takeNanos();
        // the epoch order and each image's augmentation are functions of (seed, epoch, index): built ahead or
        // not, by any number of threads, this is the same batch
        HostBatch host = batches.take(globalStep);
        float value = learner.forwardBackward(host.images(), host.labels(), batch, globalStep, samplingRandom);
        if (!Float.isFinite(value)) {
            throw diverged("loss is " + value);
        }
        double gradNorm = Double.NaN;
        if (clipping != null) {
            gradNorm = clipping.clip();
            if (!Double.isFinite(gradNorm)) {
                throw diverged("backbone gradient norm is " + gradNorm);
            }
        }
        float lr = schedule.learningRate(globalStep);
        optimizer.step(lr, schedule.beta1(globalStep));
        int stepEpoch = epoch;
        long now = System.nanoTime();
        tally = tally.plus(value, (now - stepStart) / 1e9, (batches.takeNanos() - dataBefore) / 1e9);
        EpochTally ended = null;
        if (advance()) {
            ended = tally;
            tally = EpochTally.EMPTY;
        }
        double elapsed = (now - startNanos) / 1e9;
        double perSecond = (globalStep - startStep) * (double) batch / Math.max(elapsed, 1e-9);
        return new StepMetrics(stepEpoch, globalStep, totalSteps, value, lr, learner.lastSampledClasses(), gradNorm,
                perSecond, (totalSteps - globalStep) * batch / Math.max(perSecond, 1e-9), ended,
                learner.lastLossTerms());
    }

    private TrainingDivergedException diverged(String what) {
        return new TrainingDivergedException(String.format(Locale.ROOT, "%s at step %d of %d (epoch %d): training "
                + "diverged; lower the learning rate or clip gradients (optimizer.maxGradNorm)", what,
                globalStep + 1, totalSteps, epoch + 1), globalStep + 1);
    }

    /** Moves one step on; true when that ended an epoch. */
    private boolean advance() {
        globalStep++;
        stepInEpoch++;
        if (stepInEpoch == stepsPerEpoch) {
            stepInEpoch = 0;
            epoch++;
            return true;
        }
        return false;
    }

    /**
     * Moves to a checkpoint's position: global step, sampler state and the current epoch's tally so far (the
     * rest is derived).
     */
    public void restorePosition(long globalStep, long samplingState, EpochTally epochSoFar) {
        if (globalStep < 0 || globalStep > totalSteps) {
            throw new InvalidInputException("checkpoint step " + globalStep + " is outside this run's 0.."
                    + totalSteps + " steps");
        }
        this.globalStep = globalStep;
        this.epoch = (int) (globalStep / stepsPerEpoch);
        this.stepInEpoch = globalStep % stepsPerEpoch;
        this.samplingRandom.setState(samplingState);
        this.tally = epochSoFar;
        this.startNanos = -1;
        batches.discard(); // built for the old position
    }

    public boolean finished() {
        return globalStep >= totalSteps;
    }

    public long totalSteps() {
        return totalSteps;
    }

    public long stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * Seconds the steps so far spent getting their batches: waiting for the background threads, or building
     * (part of) the batch themselves. Near zero when loading keeps up with the backend.
     */
    public double dataSeconds() {
        return batches.takeNanos() / 1e9;
    }

    /** Steps completed. */
    public long globalStep() {
        return globalStep;
    }

    /** The epoch the next step belongs to (0-based; equals the epoch count once finished). */
    public int epoch() {
        return epoch;
    }

    /** Steps of the current epoch already done. */
    public long stepInEpoch() {
        return stepInEpoch;
    }

    /** The current epoch's steps so far: loss sum, count and time (what its epoch record will report). */
    public EpochTally epochTally() {
        return tally;
    }

    /** The class/dimension sampler's generator state. */
    public long samplingState() {
        return samplingRandom.state();
    }

    public TrainConfig config() {
        return config;
    }

    public Learner learner() {
        return learner;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    @Override
    public void close() {
        batches.close();
        learner.close();
        optimizer.close();
        if (clipping != null) {
            clipping.close();
        }
    }
}
