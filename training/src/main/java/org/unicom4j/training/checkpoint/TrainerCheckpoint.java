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
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.model.checkpoint.FloatSink;
import org.unicom4j.model.checkpoint.FloatSource;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.checkpoint.SafetensorsReader;
import org.unicom4j.model.checkpoint.SafetensorsWriter;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StreamedTensor;
import org.unicom4j.training.optim.AdamW;
import org.unicom4j.training.trainer.EpochTally;
import org.unicom4j.training.trainer.Learner;
import org.unicom4j.training.trainer.StateTensor;
import org.unicom4j.training.trainer.Trainer;
import org.unicom4j.training.trainer.TrainingDivergedException;

/**
 * Saves and restores everything a {@link Trainer} needs to continue exactly as if it had never stopped, as one
 * safetensors file written atomically ({@link SafetensorsWriter}), streamed to and from the device in chunks:
 * <ul>
 *   <li>tensors: the learner's state tensors (for Unicom {@code model.parameters}, {@code
 *       model.running_statistics} and {@code loss.prototypes}) and for each AdamW group
 *       {@code optimizer.<group>.exp_avg} and {@code optimizer.<group>.exp_avg_sq};</li>
 *   <li>metadata {@code format}, {@code stage} (the run's stage), the learner's metadata (for Unicom {@code vit}, the VitConfig as JSON),
 *       {@code state} (JSON: global step, epoch and step in epoch, steps per epoch, total steps, seed, batch size,
 *       the sampler's SplitMix64 state, the AdamW step count, the current epoch's tally of losses and time, and the
 *       learner's counters) and {@code run} (the run's config, if given).</li>
 * </ul>
 * The schedule is a function of the global step, and shuffling, augmentation and stochastic depth are functions of
 * the seed and position, so no other state exists. Gradients are not saved: every step recomputes them. Values
 * are checked as they stream out: a state holding a NaN or infinity is never written (a
 * {@link TrainingDivergedException}, and the previous file of that name stays).
 */
public final class TrainerCheckpoint {
    public static final String FORMAT = "unicom4j-trainer-checkpoint/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a checkpoint file says about itself; {@code stage} is the run's stage it belongs to (or null). */
    public record Info(Path file, long globalStep, int epoch, long stepInEpoch, long totalSteps, String runConfig,
                       String stage) {
    }

    private TrainerCheckpoint() {
    }

    /**
     * Writes the trainer's state to {@code file} atomically; {@code runConfig} (JSON) and {@code stage} (the name
     * of the run's stage) may be null.
     */
    public static void save(Trainer trainer, Path file, String runConfig, String stage) throws IOException {
        Learner learner = trainer.learner();
        Backend backend = learner.backend();
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
        EpochTally tally = trainer.epochTally();
        state.putObject("epochTally").put("lossSum", tally.lossSum()).put("steps", tally.steps())
                .put("seconds", tally.seconds()).put("dataSeconds", tally.dataSeconds());
        learner.saveState(state);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.putAll(learner.metadata());
        metadata.put("state", JSON.writeValueAsString(state));
        if (runConfig != null) {
            metadata.put("run", runConfig);
        }
        if (stage != null) {
            metadata.put("stage", stage);
        }
        List<StreamedTensor> tensors = new ArrayList<>();
        for (StateTensor t : learner.stateTensors()) {
            tensors.add(new StreamedTensor(t.name(), t.shape(), finite(file, t.name(), backend, t.buffer())));
        }
        for (int g = 0; g < optimizer.groups().size(); g++) {
            String name = "optimizer." + optimizer.groups().get(g).name();
            DeviceFloats m = optimizer.firstMoment(g), v = optimizer.secondMoment(g);
            tensors.add(new StreamedTensor(name + ".exp_avg", new long[] {m.length()},
                    finite(file, name + ".exp_avg", backend, m)));
            tensors.add(new StreamedTensor(name + ".exp_avg_sq", new long[] {v.length()},
                    finite(file, name + ".exp_avg_sq", backend, v)));
        }
        SafetensorsWriter.write(file, tensors, metadata);
    }

    /** The buffer's values, each checked finite as it streams out: a diverged state is not saved. */
    private static FloatSource finite(Path file, String name, Backend backend, DeviceFloats buffer) {
        FloatSource values = FloatSource.of(backend, buffer);
        return new FloatSource() {
            @Override
            public long length() {
                return values.length();
            }

            @Override
            public void read(long offset, float[] dst, int count) {
                values.read(offset, dst, count);
                for (int i = 0; i < count; i++) {
                    if (!Float.isFinite(dst[i])) {
                        throw new TrainingDivergedException(file + ": tensor '" + name + "' holds " + dst[i]
                                + " at element " + (offset + i) + "; training diverged, not writing a checkpoint of "
                                + "this state", -1);
                    }
                }
            }
        };
    }

    /** Reads a checkpoint's position and run config without loading its tensors. */
    public static Info read(Path file) throws IOException {
        try (StateDict dict = SafetensorsReader.read(file)) {
            return info(file, dict.metadata(), state(file, dict.metadata()));
        }
    }

    /**
     * Loads {@code file} into a trainer built for the same model, data size, batch size, epochs and seed.
     * Everything is checked before any buffer changes; a mismatch names the field, the checkpoint's value and
     * this run's.
     */
    public static Info restore(Trainer trainer, Path file) throws IOException {
        try (StateDict dict = SafetensorsReader.read(file)) {
            Map<String, String> metadata = dict.metadata();
            JsonNode state = state(file, metadata);
            Learner learner = trainer.learner();
            learner.checkCompatible(metadata, state, file);
            expect(file, state, "stepsPerEpoch", trainer.stepsPerEpoch());
            expect(file, state, "totalSteps", trainer.totalSteps());
            expect(file, state, "seed", trainer.config().seed());
            expect(file, state, "batchSize", trainer.config().batchSize());
            Backend backend = learner.backend();
            AdamW optimizer = trainer.optimizer();
            List<String> names = new ArrayList<>();
            List<FloatSink> sinks = new ArrayList<>();
            for (StateTensor t : learner.stateTensors()) {
                names.add(t.name());
                sinks.add(FloatSink.of(backend, t.buffer()));
            }
            for (int g = 0; g < optimizer.groups().size(); g++) {
                String name = "optimizer." + optimizer.groups().get(g).name();
                names.add(name + ".exp_avg");
                sinks.add(FloatSink.of(backend, optimizer.firstMoment(g)));
                names.add(name + ".exp_avg_sq");
                sinks.add(FloatSink.of(backend, optimizer.secondMoment(g)));
            }
            List<HostTensor> tensors = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) { // check every tensor before changing anything
                String name = names.get(i);
                HostTensor t = dict.find(name).orElseThrow(() -> new InvalidInputException(file + ": no tensor '"
                        + name + "' (has " + dict.names() + ")"));
                if (t.numel() != sinks.get(i).length()) {
                    throw new InvalidInputException(file + ": tensor '" + name + "' has " + t.numel()
                            + " values, this run expects " + sinks.get(i).length());
                }
                tensors.add(t);
            }
            for (int i = 0; i < tensors.size(); i++) {
                tensors.get(i).copyTo(sinks.get(i));
            }
            optimizer.setStepCount(state.path("adamwStep").asInt());
            learner.restoreState(state);
            JsonNode tally = state.path("epochTally");
            trainer.restorePosition(state.path("globalStep").asLong(), state.path("samplingState").asLong(),
                    new EpochTally(tally.path("lossSum").asDouble(), tally.path("steps").asLong(),
                            tally.path("seconds").asDouble(), tally.path("dataSeconds").asDouble()));
            return info(file, metadata, state);
        }
    }

    private static JsonNode state(Path file, Map<String, String> metadata) {
        if (!FORMAT.equals(metadata.get("format"))) {
            throw new InvalidInputException(file + ": not a unicom4j training checkpoint (format "
                    + metadata.get("format") + ", expected " + FORMAT + ")");
        }
        try {
            return JSON.readTree(metadata.getOrDefault("state", "{}"));
        } catch (JacksonException e) {
            throw new InvalidInputException(file + ": corrupt checkpoint state: " + e.getOriginalMessage());
        }
    }

    private static Info info(Path file, Map<String, String> metadata, JsonNode state) {
        return new Info(file, state.path("globalStep").asLong(), state.path("epoch").asInt(),
                state.path("stepInEpoch").asLong(), state.path("totalSteps").asLong(), metadata.get("run"),
                metadata.get("stage"));
    }

    private static void expect(Path file, JsonNode state, String key, long expected) {
        long found = state.path(key).asLong(Long.MIN_VALUE);
        if (found != expected) {
            throw new InvalidInputException(file + ": checkpoint " + key + " is " + found + ", this run's is "
                    + expected);
        }
    }
}
