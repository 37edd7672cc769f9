package org.unicom4j.training.checkpoint;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unicom4j.kernels.Backend;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.training.optim.AdamW;
import org.unicom4j.training.optim.ParameterGroup;
import org.unicom4j.training.trainer.ClusterDiscriminationTrainer;

/**
 * Saves and restores everything a {@link ClusterDiscriminationTrainer} needs to continue exactly as if it had
 * never stopped, as one safetensors file written atomically:
 * <ul>
 *   <li>tensors {@code model.parameters} and {@code model.running_statistics} (the model's arenas, in
 *       {@code ParameterLayout} order), {@code loss.prototypes} [rows, embDim], and for each AdamW group
 *       {@code optimizer.<group>.exp_avg} and {@code optimizer.<group>.exp_avg_sq};</li>
 *   <li>metadata {@code format}, {@code vit} (the VitConfig as JSON), {@code state} (JSON: global step, epoch
 *       and step in epoch, steps per epoch, total steps, seed, batch size, the sampler's SplitMix64 state, the
 *       AdamW step count, the BatchNorm batch counters, class count) and {@code run} (the run's config, if
 *       given).</li>
 * </ul>
 * The schedule is a function of the global step, and shuffling, augmentation and stochastic depth are functions of
 * the seed and position, so no other state exists. The model gradients are not saved: every step recomputes them.
 */
public final class TrainerCheckpoint {
    public static final String FORMAT = "unicom4j-trainer-checkpoint/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a checkpoint file says about itself. */
    public record Info(Path file, long globalStep, int epoch, long stepInEpoch, long totalSteps, String runConfig) {
    }

    private TrainerCheckpoint() {
    }

    /** Writes the trainer's state to {@code file} atomically; {@code runConfig} (JSON) may be null. */
    public static void save(ClusterDiscriminationTrainer trainer, Path file, String runConfig) throws IOException {
        VisionTransformer model = trainer.model();
        Backend backend = model.backend();
        AdamW optimizer = trainer.optimizer();
        ObjectNode state = JSON.createObjectNode();
        state.put("globalStep", trainer.globalStep());
        state.put("epoch", trainer.epoch());
        state.put("stepInEpoch", trainer.stepInEpoch());
        state.put("stepsPerEpoch", trainer.stepsPerEpoch());
        state.put("totalSteps", trainer.totalSteps());
        state.put("seed", trainer.config().seed());
        state.put("batchSize", trainer.config().batchSize());
        state.put("samplingState", trainer.samplingState());
        state.put("adamwStep", optimizer.stepCount());
        state.putArray("batchesTracked").add(model.batchesTracked(0)).add(model.batchesTracked(1));
        state.put("classes", trainer.loss().classes());
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("vit", JSON.writeValueAsString(JSON.readTree(model.config().toJson())));
        metadata.put("state", JSON.writeValueAsString(state));
        if (runConfig != null) {
            metadata.put("run", runConfig);
        }
        List<SafetensorsStreamWriter.Tensor> tensors = new ArrayList<>();
        tensors.add(flat("model.parameters", backend, model.parameters()));
        tensors.add(flat("model.running_statistics", backend, model.statistics()));
        var loss = trainer.loss();
        tensors.add(new SafetensorsStreamWriter.Tensor("loss.prototypes",
                new long[] {loss.prototypeRows(), loss.embDim()}, FloatSource.of(backend, loss.prototypes())));
        for (int g = 0; g < optimizer.groups().size(); g++) {
            String name = optimizer.groups().get(g).name();
            tensors.add(flat("optimizer." + name + ".exp_avg", backend, optimizer.firstMoment(g)));
            tensors.add(flat("optimizer." + name + ".exp_avg_sq", backend, optimizer.secondMoment(g)));
        }
        SafetensorsStreamWriter.write(file, metadata, tensors);
    }

    private static SafetensorsStreamWriter.Tensor flat(String name, Backend backend,
                                                       org.unicom4j.kernels.DeviceFloats buffer) {
        return new SafetensorsStreamWriter.Tensor(name, new long[] {buffer.length()}, FloatSource.of(backend, buffer));
    }

    /** Reads a checkpoint's position and run config without loading its tensors. */
    public static Info read(Path file) throws IOException {
        try (SafetensorsStreamReader reader = SafetensorsStreamReader.open(file)) {
            return info(file, reader.metadata(), state(file, reader.metadata()));
        }
    }

    /**
     * Loads {@code file} into a trainer built for the same model, data size, batch size, epochs and seed.
     * Everything is checked before any buffer changes; a mismatch names the field, the checkpoint's value and
     * this run's.
     */
    public static Info restore(ClusterDiscriminationTrainer trainer, Path file) throws IOException {
        try (SafetensorsStreamReader reader = SafetensorsStreamReader.open(file)) {
            Map<String, String> metadata = reader.metadata();
            JsonNode state = state(file, metadata);
            VisionTransformer model = trainer.model();
            VitConfig saved = VitConfig.fromJson(metadata.getOrDefault("vit", "{}"));
            if (!saved.equals(model.config())) {
                throw new IllegalArgumentException(file + ": checkpoint model " + saved + " differs from this run's "
                        + model.config());
            }
            expect(file, state, "stepsPerEpoch", trainer.stepsPerEpoch());
            expect(file, state, "totalSteps", trainer.totalSteps());
            expect(file, state, "seed", trainer.config().seed());
            expect(file, state, "batchSize", trainer.config().batchSize());
            expect(file, state, "classes", trainer.loss().classes());
            Backend backend = model.backend();
            AdamW optimizer = trainer.optimizer();
            List<String> names = new ArrayList<>(List.of("model.parameters", "model.running_statistics",
                    "loss.prototypes"));
            List<FloatSink> sinks = new ArrayList<>(List.of(FloatSink.of(backend, model.parameters()),
                    FloatSink.of(backend, model.statistics()), FloatSink.of(backend, trainer.loss().prototypes())));
            for (int g = 0; g < optimizer.groups().size(); g++) {
                ParameterGroup group = optimizer.groups().get(g);
                names.add("optimizer." + group.name() + ".exp_avg");
                sinks.add(FloatSink.of(backend, optimizer.firstMoment(g)));
                names.add("optimizer." + group.name() + ".exp_avg_sq");
                sinks.add(FloatSink.of(backend, optimizer.secondMoment(g)));
            }
            for (int i = 0; i < names.size(); i++) { // check every shape before changing anything
                long[] shape = reader.shape(names.get(i));
                long n = 1;
                for (long d : shape) {
                    n *= d;
                }
                if (n != sinks.get(i).length()) {
                    throw new IllegalArgumentException(file + ": tensor '" + names.get(i) + "' has " + n
                            + " values, this run expects " + sinks.get(i).length());
                }
            }
            for (int i = 0; i < names.size(); i++) {
                reader.read(names.get(i), sinks.get(i));
            }
            optimizer.setStepCount(state.path("adamwStep").asInt());
            model.setBatchesTracked(0, state.path("batchesTracked").path(0).asLong());
            model.setBatchesTracked(1, state.path("batchesTracked").path(1).asLong());
            trainer.restorePosition(state.path("globalStep").asLong(), state.path("samplingState").asLong());
            return info(file, metadata, state);
        }
    }

    private static JsonNode state(Path file, Map<String, String> metadata) {
        if (!FORMAT.equals(metadata.get("format"))) {
            throw new IllegalArgumentException(file + ": not a unicom4j training checkpoint (format "
                    + metadata.get("format") + ", expected " + FORMAT + ")");
        }
        try {
            return JSON.readTree(metadata.getOrDefault("state", "{}"));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": corrupt checkpoint state: " + e.getOriginalMessage());
        }
    }

    private static Info info(Path file, Map<String, String> metadata, JsonNode state) {
        return new Info(file, state.path("globalStep").asLong(), state.path("epoch").asInt(),
                state.path("stepInEpoch").asLong(), state.path("totalSteps").asLong(), metadata.get("run"));
    }

    private static void expect(Path file, JsonNode state, String key, long expected) {
        long found = state.path(key).asLong(Long.MIN_VALUE);
        if (found != expected) {
            throw new IllegalArgumentException(file + ": checkpoint " + key + " is " + found + ", this run's is "
                    + expected);
        }
    }
}
