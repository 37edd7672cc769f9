package org.unicom4j.training.trainer;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Margin;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitActivations;
import org.unicom4j.training.loss.SampledMarginSoftmax;
import org.unicom4j.training.optim.AdamW;
import org.unicom4j.training.optim.OneCycleSchedule;
import org.unicom4j.training.optim.ParameterGroup;
import org.unicom4j.training.optim.Schedule;
import org.unicom4j.training.optim.WarmupCosineSchedule;

/**
 * Trains a ViT by cluster discrimination (spec unicom.md section 3): each step embeds a batch, scores it
 * against a sampled subset of class prototypes over a sampled subset of feature dimensions with a margin
 * softmax, and updates backbone and prototypes with AdamW (prototypes at a higher learning rate). With true
 * labels instead of pseudo-classes the same loop is supervised fine-tuning. Buffers are allocated once.
 */
public final class ClusterDiscriminationTrainer implements AutoCloseable {
    private final Backend backend;
    private final VisionTransformer model;
    private final TrainConfig config;
    private final TrainingImages images;
    private final SampledMarginSoftmax loss;
    private final AdamW optimizer;
    private final Schedule schedule;
    private final VitActivations activations;
    private final DeviceFloats batchImages;
    private final DeviceFloats dEmbeddings;
    private final float[] hostBatch;
    private final int[] batchLabels;
    private final int[] order;
    private final long totalSteps;
    private final SplittableRandom random;
    private long step;
    private long startNanos = -1;
    private long startStep;

    public ClusterDiscriminationTrainer(VisionTransformer model, TrainingImages images, int classes, TrainConfig config) {
        this.backend = model.backend();
        this.model = model;
        this.config = config;
        this.images = images;
        var vit = model.config();
        if (images.channels() != vit.channels() || images.size() != vit.imageSize()) {
            throw new IllegalArgumentException("images are " + images.channels() + "x" + images.size() + "x"
                    + images.size() + ", the model expects " + vit.channels() + "x" + vit.imageSize() + "x"
                    + vit.imageSize());
        }
        int batch = config.batchSize();
        this.loss = new SampledMarginSoftmax(backend, classes, vit.embedding(), Math.min(config.sampledDims(),
                vit.embedding()), config.classRate(), new Margin(config.scale(), config.angularMargin(),
                config.additiveMargin()), batch);
        loss.initPrototypes(config.seed() ^ 0x5eedL, 0.01);
        this.optimizer = new AdamW(backend, List.of(
                new ParameterGroup("backbone", model.parameters(), model.gradients(), 1f, config.weightDecay()),
                new ParameterGroup("prototypes", loss.prototypes(), loss.prototypeGradient(),
                        config.prototypeLrScale(), config.weightDecay())), 0.999f, 1e-8f);
        long stepsPerEpoch = images.count() / batch; // the last partial batch is dropped, as drop_last=True
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException(images.count() + " images are fewer than one batch of " + batch);
        }
        this.totalSteps = stepsPerEpoch * config.epochs();
        this.schedule = config.schedule().equals("onecycle")
                ? OneCycleSchedule.unicomDefaults(config.learningRate(), totalSteps)
                : new WarmupCosineSchedule(config.learningRate(), config.learningRate() * 1e-3f,
                        (long) (config.warmupFraction() * totalSteps), totalSteps, 0.9f);
        this.activations = VitActivations.forTraining(backend, vit, batch);
        int imageFloats = vit.channels() * vit.imageSize() * vit.imageSize();
        this.batchImages = backend.allocFloats((long) batch * imageFloats);
        this.dEmbeddings = backend.allocFloats((long) batch * vit.embedding());
        this.hostBatch = new float[batch * imageFloats];
        this.batchLabels = new int[batch];
        this.order = new int[images.count()];
        this.random = new SplittableRandom(config.seed());
        model.seedDropPath(config.seed() + 1);
    }

    public long totalSteps() {
        return totalSteps;
    }

    /** Runs one epoch; {@code onStep} sees every step's metrics. Returns the epoch's mean loss. */
    public double trainEpoch(int epoch, Consumer<StepMetrics> onStep) {
        if (startNanos < 0) {
            startNanos = System.nanoTime();
            startStep = step;
        }
        shuffle(order, random);
        int batch = config.batchSize(), imageFloats = hostBatch.length / batch;
        long steps = images.count() / batch;
        double sum = 0;
        for (long s = 0; s < steps; s++) {
            for (int i = 0; i < batch; i++) {
                int index = order[(int) (s * batch + i)];
                images.copyImage(index, hostBatch, i * imageFloats, random);
                batchLabels[i] = images.label(index);
            }
            float value = step(batch);
            sum += value;
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            long done = step - startStep;
            double perSecond = done * batch / Math.max(elapsed, 1e-9);
            onStep.accept(new StepMetrics(epoch, step, totalSteps, value, schedule.learningRate(step - 1),
                    loss.lastSampledClasses(), perSecond, (totalSteps - step) * batch / Math.max(perSecond, 1e-9)));
        }
        return sum / steps;
    }

    /** One optimisation step on the batch in the host staging buffer; stops the run on a NaN or infinite loss. */
    private float step(int batch) {
        backend.upload(hostBatch, batchImages);
        DeviceFloats embeddings = model.forward(batchImages, batch, activations, true);
        float value = loss.forwardBackward(embeddings, batchLabels, batch, dEmbeddings, random);
        if (!Float.isFinite(value)) {
            throw new IllegalStateException("loss is " + value + " at step " + step
                    + ": training diverged (lower the learning rate); the last checkpoint is kept");
        }
        model.zeroGradients();
        model.backward(dEmbeddings, activations);
        optimizer.step(schedule.learningRate(step), schedule.beta1(step));
        step++;
        return value;
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    public VisionTransformer model() {
        return model;
    }

    public SampledMarginSoftmax loss() {
        return loss;
    }

    @Override
    public void close() {
        loss.close();
        optimizer.close();
        activations.close();
        batchImages.close();
        dEmbeddings.close();
    }
}
