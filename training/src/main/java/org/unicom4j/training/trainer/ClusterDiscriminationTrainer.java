package org.unicom4j.training.trainer;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Margin;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitActivations;
import org.unicom4j.training.loss.PrototypeLoss;
import org.unicom4j.training.loss.SampledMarginSoftmax;
import org.unicom4j.training.optim.AdamW;
import org.unicom4j.training.optim.GradientClipping;
import org.unicom4j.training.optim.OneCycleSchedule;
import org.unicom4j.training.optim.ParameterGroup;
import org.unicom4j.training.optim.Schedule;
import org.unicom4j.training.optim.WarmupCosineSchedule;
import org.unicom4j.training.random.SplitMix64;

/**
 * Trains a ViT by cluster discrimination (spec unicom.md section 3): each step embeds a batch, scores it
 * against a sampled subset of class prototypes over a sampled subset of feature dimensions with a margin
 * softmax, and updates backbone and prototypes with AdamW (prototypes at a higher learning rate). With true
 * labels instead of pseudo-classes the same loop is supervised fine-tuning. Buffers are allocated once.
 *
 * <p>The run is a sequence of {@link #totalSteps()} steps at a position (epoch, step in epoch, global step).
 * Every random draw depends only on the seed and that position, or on the sampler's {@link SplitMix64} state,
 * so {@link org.unicom4j.training.checkpoint.TrainerCheckpoint} can stop and resume a run exactly. For the same
 * reason the next steps' batches can be decoded and augmented on background threads while the backend runs the
 * current step ({@link Prefetch}) without changing anything but the time a step waits for its data.
 */
public final class ClusterDiscriminationTrainer implements AutoCloseable {
    private final Backend backend;
    private final VisionTransformer model;
    private final TrainConfig config;
    private final PrototypeLoss loss;
    private final AdamW optimizer;
    private final Schedule schedule;
    private final GradientClipping clipping;
    private final VitActivations activations;
    private final DeviceFloats batchImages;
    private final DeviceFloats dEmbeddings;
    private final BatchPrefetcher batches;
    private final long stepsPerEpoch;
    private final long totalSteps;
    private final SplitMix64 samplingRandom;
    private int epoch;
    private long stepInEpoch;
    private long globalStep;
    private long startNanos = -1;
    private long startStep;

    /** A trainer with the Unicom loss built from {@code config} over {@code classes} prototypes. */
    public ClusterDiscriminationTrainer(VisionTransformer model, TrainingImages images, int classes, TrainConfig config) {
        this(model, images, classes, config, Prefetch.DEFAULT);
    }

    /** The same, building batches as {@code prefetch} says. */
    public ClusterDiscriminationTrainer(VisionTransformer model, TrainingImages images, int classes, TrainConfig config,
                                        Prefetch prefetch) {
        this(model, images, new SampledMarginSoftmax(model.backend(), classes, model.config().embedding(),
                Math.min(config.sampledDims(), model.config().embedding()), config.classRate(),
                new Margin(config.scale(), config.angularMargin(), config.additiveMargin()), config.batchSize()),
                config, prefetch);
    }

    /**
     * A trainer with any prototype loss (which it owns and closes); the loss fields of {@code config} are not
     * used. The prototypes are initialised from the seed here; a checkpoint restore overwrites them.
     */
    public ClusterDiscriminationTrainer(VisionTransformer model, TrainingImages images, PrototypeLoss loss,
                                        TrainConfig config) {
        this(model, images, loss, config, Prefetch.DEFAULT);
    }

    /**
     * A trainer with any prototype loss, building its batches as {@code prefetch} says (the batches, and so the
     * run, are the same for every setting). Close it to stop the background threads.
     */
    public ClusterDiscriminationTrainer(VisionTransformer model, TrainingImages images, PrototypeLoss loss,
                                        TrainConfig config, Prefetch prefetch) {
        this.backend = model.backend();
        this.model = model;
        this.config = config;
        this.loss = loss;
        var vit = model.config();
        if (images.channels() != vit.channels() || images.size() != vit.imageSize()) {
            loss.close();
            throw new IllegalArgumentException("images are " + images.channels() + "x" + images.size() + "x"
                    + images.size() + ", the model expects " + vit.channels() + "x" + vit.imageSize() + "x"
                    + vit.imageSize());
        }
        if (loss.embDim() != vit.embedding()) {
            loss.close();
            throw new IllegalArgumentException("loss embedding dim " + loss.embDim() + " differs from the model's "
                    + vit.embedding());
        }
        int batch = config.batchSize();
        this.stepsPerEpoch = images.count() / batch; // the last partial batch is dropped, as drop_last=True
        if (stepsPerEpoch < 1) {
            loss.close();
            throw new IllegalArgumentException(images.count() + " images are fewer than one batch of " + batch);
        }
        this.totalSteps = stepsPerEpoch * config.epochs();
        this.schedule = schedule(config, totalSteps);
        loss.initPrototypes(RandomStreams.seed(config.seed(), RandomStreams.PROTOTYPES), 0.01);
        this.optimizer = new AdamW(backend, List.of(
                new ParameterGroup("backbone", model.parameters(), model.gradients(), 1f, config.weightDecay()),
                new ParameterGroup("prototypes", loss.prototypes(), loss.prototypeGradient(),
                        config.prototypeLrScale(), config.weightDecay())), 0.999f, 1e-8f);
        this.clipping = config.maxGradNorm() > 0
                ? new GradientClipping(backend, model.gradients(), config.maxGradNorm()) : null;
        this.activations = VitActivations.forTraining(backend, vit, batch);
        this.batchImages = backend.buffers().allocFloats(
                (long) batch * vit.channels() * vit.imageSize() * vit.imageSize());
        this.dEmbeddings = backend.buffers().allocFloats((long) batch * vit.embedding());
        this.samplingRandom = new SplitMix64(RandomStreams.seed(config.seed(), RandomStreams.SAMPLING));
        // threads start with the first step: a trainer that is only built (or restored and closed) starts none
        this.batches = new BatchPrefetcher(images, batch, stepsPerEpoch, totalSteps,
                RandomStreams.seed(config.seed(), RandomStreams.SHUFFLE),
                RandomStreams.seed(config.seed(), RandomStreams.AUGMENT), prefetch);
    }

    private static Schedule schedule(TrainConfig config, long totalSteps) {
        if (config.schedule().equals("onecycle")) {
            // deepglint/unicom retrieval.py: OneCycleLR defaults (div 25, final div 1e4, beta1 0.95 -> 0.85)
            return new OneCycleSchedule(config.learningRate(), totalSteps, config.warmupFraction(), 25, 1e4,
                    0.85f, 0.95f);
        }
        return new WarmupCosineSchedule(config.learningRate(), config.learningRate() * 1e-3f,
                (long) (config.warmupFraction() * totalSteps), totalSteps, 0.9f);
    }

    /**
     * Runs the rest of epoch {@code epoch}, which must be the current one and not yet started; {@code onStep}
     * sees every step's metrics. Returns the epoch's mean loss.
     */
    public double trainEpoch(int epoch, Consumer<StepMetrics> onStep) {
        if (epoch != this.epoch || stepInEpoch != 0 || finished()) {
            throw new IllegalStateException("trainEpoch(" + epoch + ") called at epoch " + this.epoch + " step "
                    + stepInEpoch + " of " + config.epochs() + " epochs");
        }
        double sum = 0;
        int steps = 0;
        do {
            StepMetrics m = step();
            onStep.accept(m);
            sum += m.loss();
            steps++;
        } while (this.epoch == epoch);
        return sum / steps;
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
        if (startNanos < 0) {
            startNanos = System.nanoTime();
            startStep = globalStep;
        }
        int batch = config.batchSize();
        // the epoch order and each image's augmentation are functions of (seed, epoch, index): built ahead or
        // not, by any number of threads, this is the same batch
        HostBatch host = batches.take(globalStep);
        backend.buffers().upload(host.images(), batchImages);
        model.seedDropPath(RandomStreams.dropPathSeed(config.seed(), globalStep));
        DeviceFloats embeddings = model.forward(batchImages, batch, activations, true);
        float value = loss.forwardBackward(embeddings, host.labels(), batch, dEmbeddings, samplingRandom);
        if (!Float.isFinite(value)) {
            throw diverged("loss is " + value, value);
        }
        model.zeroGradients();
        model.backward(dEmbeddings, activations);
        double gradNorm = Double.NaN;
        if (clipping != null) {
            gradNorm = clipping.clip();
            if (!Double.isFinite(gradNorm)) {
                throw diverged("backbone gradient norm is " + gradNorm, value);
            }
        }
        float lr = schedule.learningRate(globalStep);
        optimizer.step(lr, schedule.beta1(globalStep));
        int stepEpoch = epoch;
        advance();
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double perSecond = (globalStep - startStep) * (double) batch / Math.max(elapsed, 1e-9);
        return new StepMetrics(stepEpoch, globalStep, totalSteps, value, lr, loss.lastSampledClasses(), gradNorm,
                perSecond, (totalSteps - globalStep) * batch / Math.max(perSecond, 1e-9));
    }

    private TrainingDivergedException diverged(String what, float value) {
        return new TrainingDivergedException(String.format(Locale.ROOT, "%s at step %d of %d (epoch %d): training "
                + "diverged; lower the learning rate or clip gradients (optimizer.maxGradNorm)", what,
                globalStep + 1, totalSteps, epoch + 1), globalStep + 1);
    }

    private void advance() {
        globalStep++;
        stepInEpoch++;
        if (stepInEpoch == stepsPerEpoch) {
            stepInEpoch = 0;
            epoch++;
        }
    }

    /** Moves to a checkpoint's position: global step and sampler state (the rest is derived). */
    public void restorePosition(long globalStep, long samplingState) {
        if (globalStep < 0 || globalStep > totalSteps) {
            throw new IllegalArgumentException("checkpoint step " + globalStep + " is outside this run's 0.."
                    + totalSteps + " steps");
        }
        this.globalStep = globalStep;
        this.epoch = (int) (globalStep / stepsPerEpoch);
        this.stepInEpoch = globalStep % stepsPerEpoch;
        this.samplingRandom.setState(samplingState);
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

    /** The class/dimension sampler's generator state. */
    public long samplingState() {
        return samplingRandom.state();
    }

    public TrainConfig config() {
        return config;
    }

    public VisionTransformer model() {
        return model;
    }

    public PrototypeLoss loss() {
        return loss;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    @Override
    public void close() {
        batches.close();
        loss.close();
        optimizer.close();
        if (clipping != null) {
            clipping.close();
        }
        activations.close();
        batchImages.close();
        dEmbeddings.close();
    }
}
