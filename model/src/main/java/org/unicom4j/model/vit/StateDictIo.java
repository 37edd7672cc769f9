package org.unicom4j.model.vit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictMismatchException;
import org.unicom4j.model.checkpoint.StateDictReader;

/**
 * Moves a model's state dict between the host and its arenas, by the keys and shapes of the released
 * checkpoints. Loading is strict: every key of the layout must be present with exactly its shape, and no
 * others (after stripping a {@code model.} or {@code _orig_mod.} prefix that fine-tuned checkpoints carry);
 * {@code num_batches_tracked} is optional and kept as a host counter.
 */
public final class StateDictIo {
    /** The safetensors metadata key holding the VitConfig JSON of a saved model. */
    public static final String CONFIG_METADATA_KEY = "vit_config";
    /** Head dim of the released models; the head count is not in a state dict's shapes. */
    public static final int RELEASED_HEAD_DIM = 64;
    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(StateDictIo.class.getName());
    private static final String[] STRIPPED_PREFIXES = {"module.", "_orig_mod.", "model."};

    private StateDictIo() {
    }

    /** One exported entry: float values, or for {@code num_batches_tracked} an int64 scalar in {@code count}. */
    public record Entry(String key, long[] shape, float[] values, boolean int64, long count) {
    }

    /**
     * Loads every tensor of {@code source} into the model. Throws a {@link StateDictMismatchException} naming the
     * first missing or unexpected key, or the key whose shape differs (found vs expected), before changing anything.
     */
    public static void load(VisionTransformer model, TensorSource source) {
        ParameterLayout layout = model.layout();
        Map<String, String> keys = new LinkedHashMap<>(); // layout key -> source key
        boolean stripped = false;
        for (String sourceKey : source.keys()) {
            String key = stripPrefix(sourceKey);
            stripped |= !key.equals(sourceKey);
            if (!layout.contains(key)) {
                throw new StateDictMismatchException("state dict has unexpected key '" + sourceKey + "' with shape "
                        + TensorSlot.shapeText(source.shape(sourceKey)) + " (not part of a ViT "
                        + describe(layout.config()) + ")");
            }
            if (keys.put(key, sourceKey) != null) {
                throw new StateDictMismatchException("state dict has key '" + key + "' twice (with and without a prefix)");
            }
            TensorSlot slot = layout.slot(key);
            long[] found = source.shape(sourceKey);
            if (!Arrays.equals(found, slot.shape())) {
                boolean gridDependent = key.equals("pos_embed") || key.equals("feature.0.weight");
                throw new StateDictMismatchException("state dict key '" + sourceKey + "' has shape "
                        + TensorSlot.shapeText(found) + ", expected " + slot.shapeText() + " for a ViT "
                        + describe(layout.config())
                        + (gridDependent ? " (weights for another input size: resample them with GridResize)" : ""));
            }
        }
        for (TensorSlot slot : layout.slots()) {
            if (slot.kind() != TensorSlot.Kind.BATCH_COUNTER && !keys.containsKey(slot.key())) {
                throw new StateDictMismatchException("state dict lacks key '" + slot.key() + "' with shape "
                        + slot.shapeText());
            }
        }
        if (stripped) {
            LOG.info("state dict keys carry a training-wrapper prefix (module., _orig_mod. or model.); stripped");
        }
        for (TensorSlot slot : layout.slots()) {
            String sourceKey = keys.get(slot.key());
            if (sourceKey == null) {
                continue;
            }
            float[] values = source.floats(sourceKey);
            if (slot.kind() == TensorSlot.Kind.BATCH_COUNTER) {
                model.setBatchesTracked(slot.key().startsWith("feature.1.") ? 0 : 1, (long) values[0]);
            } else {
                upload(model, slot, values);
            }
        }
    }

    /** Loads a checkpoint file (torch.save {@code .pt} or safetensors, fp16 or fp32) into the model. */
    public static void load(VisionTransformer model, Path file) throws IOException {
        try (StateDict stateDict = StateDictReader.read(file)) {
            load(model, source(stateDict));
        } catch (StateDictMismatchException e) {
            throw new StateDictMismatchException(file + ": " + e.getMessage(), e);
        }
    }

    /** A checkpoint's state dict as a {@link TensorSource} (valid while the state dict is open). */
    public static TensorSource source(StateDict stateDict) {
        return new TensorSource() {
            @Override
            public Set<String> keys() {
                return stateDict.names();
            }

            @Override
            public long[] shape(String key) {
                return stateDict.get(key).shape();
            }

            @Override
            public float[] floats(String key) {
                return stateDict.get(key).toFloatArray();
            }
        };
    }

    /**
     * The model's state dict as the checkpoint package holds one: float32 tensors in checkpoint order and
     * {@code num_batches_tracked} as int64 scalars, with the VitConfig JSON as {@value #CONFIG_METADATA_KEY}
     * metadata (the head count is not in the shapes), ready for {@code SafetensorsWriter}.
     */
    public static StateDict toStateDict(VisionTransformer model) {
        List<HostTensor> tensors = new ArrayList<>();
        for (Entry e : export(model)) {
            tensors.add(e.int64() ? HostTensor.ofLongs(e.key(), new long[] {e.count()}, e.shape())
                    : HostTensor.ofFloats(e.key(), e.values(), e.shape()));
        }
        return StateDict.of("ViT " + describe(model.config()), tensors)
                .withMetadata(Map.of(CONFIG_METADATA_KEY, model.config().toJson()));
    }

    /**
     * The configuration of a saved model: its {@value #CONFIG_METADATA_KEY} metadata, else read off its shapes with
     * the released models' head dim of 64.
     */
    public static VitConfig savedConfig(StateDict stateDict) {
        String json = stateDict.metadata().get(CONFIG_METADATA_KEY);
        return json != null ? VitConfig.fromJson(json) : inferConfig(source(stateDict), RELEASED_HEAD_DIM, 0.0);
    }

    /**
     * The configuration a state dict was saved from, read off its shapes. The head count is not in the shapes:
     * it is width / headDim (64 for the released models).
     */
    public static VitConfig inferConfig(TensorSource source, int headDim, double dropPathRate) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String k : source.keys()) {
            keys.put(stripPrefix(k), k);
        }
        long[] pos = shapeOf(source, keys, "pos_embed", 3);
        long[] patch = shapeOf(source, keys, "patch_embed.proj.weight", 4);
        long[] fc1 = shapeOf(source, keys, "blocks.0.mlp.fc1.weight", 2);
        long[] head2 = shapeOf(source, keys, "feature.2.weight", 2);
        int depth = 0;
        while (keys.containsKey("blocks." + depth + ".attn.qkv.weight")) {
            depth++;
        }
        int width = Math.toIntExact(pos[2]);
        int grid = (int) Math.round(Math.sqrt(pos[1]));
        if (grid * grid != pos[1] || width % headDim != 0) {
            throw new StateDictMismatchException("state dict: pos_embed " + TensorSlot.shapeText(pos)
                    + " is not a square grid of width divisible by head dim " + headDim);
        }
        return new VitConfig(grid * (int) patch[2], (int) patch[1], (int) patch[2], width, depth, width / headDim,
                Math.toIntExact(fc1[0]), Math.toIntExact(head2[0]), dropPathRate);
    }

    private static long[] shapeOf(TensorSource source, Map<String, String> keys, String key, int rank) {
        String k = keys.get(key);
        if (k == null) {
            throw new StateDictMismatchException("state dict lacks key '" + key + "'; not a Unicom ViT");
        }
        long[] shape = source.shape(k);
        if (shape.length != rank) {
            throw new StateDictMismatchException("state dict key '" + k + "' has shape " + TensorSlot.shapeText(shape)
                    + ", expected rank " + rank);
        }
        return shape;
    }

    /** The model's state dict in checkpoint order, including running statistics and num_batches_tracked. */
    public static List<Entry> export(VisionTransformer model) {
        List<Entry> out = new ArrayList<>();
        for (TensorSlot slot : model.layout().slots()) {
            if (slot.kind() == TensorSlot.Kind.BATCH_COUNTER) {
                long count = model.batchesTracked(slot.key().startsWith("feature.1.") ? 0 : 1);
                out.add(new Entry(slot.key(), slot.shape(), new float[] {count}, true, count));
            } else {
                out.add(new Entry(slot.key(), slot.shape(), download(model, slot), false, 0));
            }
        }
        return out;
    }

    /** The export as a {@link TensorSource}, e.g. to copy one model into another. */
    public static TensorSource asSource(List<Entry> entries) {
        Map<String, Entry> map = new LinkedHashMap<>();
        for (Entry e : entries) {
            map.put(e.key(), e);
        }
        return new TensorSource() {
            @Override
            public Set<String> keys() {
                return map.keySet();
            }

            @Override
            public long[] shape(String key) {
                return map.get(key).shape().clone();
            }

            @Override
            public float[] floats(String key) {
                return map.get(key).values();
            }
        };
    }

    /** Writes {@code values} (exactly slot.size() floats) to the slot's place in the model's arenas. */
    static void upload(VisionTransformer model, TensorSlot slot, float[] values) {
        if (values.length != slot.size()) {
            throw new IllegalArgumentException("tensor '" + slot.key() + "' has " + values.length
                    + " values, expected " + slot.size() + " for shape " + slot.shapeText());
        }
        model.backend().buffers().upload(values, arenaSlice(model, slot));
    }

    static float[] download(VisionTransformer model, TensorSlot slot) {
        return model.backend().buffers().download(arenaSlice(model, slot));
    }

    private static DeviceFloats arenaSlice(VisionTransformer model, TensorSlot slot) {
        return switch (slot.kind()) {
            case PARAMETER -> VitTensors.slice(model.parameters(), slot);
            case RUNNING_STATISTIC -> VitTensors.slice(model.statistics(), slot);
            case BATCH_COUNTER -> throw new IllegalArgumentException(slot.key() + " is a host counter");
        };
    }

    static String stripPrefix(String key) {
        for (String prefix : STRIPPED_PREFIXES) {
            if (key.startsWith(prefix)) {
                return stripPrefix(key.substring(prefix.length()));
            }
        }
        return key;
    }

    private static String describe(VitConfig c) {
        return c.imageSize() + "px/" + c.patch() + " width " + c.width() + " depth " + c.depth();
    }
}
