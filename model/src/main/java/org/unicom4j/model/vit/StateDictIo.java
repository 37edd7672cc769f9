package org.unicom4j.model.vit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unicom4j.kernels.DeviceFloats;

/**
 * Moves a model's state dict between the host and its arenas, by the keys and shapes of the released
 * checkpoints. Loading is strict: every key of the layout must be present with exactly its shape, and no
 * others (after stripping a {@code model.} or {@code _orig_mod.} prefix that fine-tuned checkpoints carry);
 * {@code num_batches_tracked} is optional and kept as a host counter.
 */
public final class StateDictIo {
    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(StateDictIo.class.getName());
    private static final String[] STRIPPED_PREFIXES = {"module.", "_orig_mod.", "model."};

    private StateDictIo() {
    }

    /** One exported entry: float values, or for {@code num_batches_tracked} an int64 scalar in {@code count}. */
    public record Entry(String key, long[] shape, float[] values, boolean int64, long count) {
    }

    /**
     * Loads every tensor of {@code source} into the model. Throws IllegalArgumentException naming the first
     * missing or unexpected key, or the key whose shape differs (found vs expected), before changing anything.
     */
    public static void load(VisionTransformer model, TensorSource source) {
        ParameterLayout layout = model.layout();
        Map<String, String> keys = new LinkedHashMap<>(); // layout key -> source key
        boolean stripped = false;
        for (String sourceKey : source.keys()) {
            String key = stripPrefix(sourceKey);
            stripped |= !key.equals(sourceKey);
            if (!layout.contains(key)) {
                throw new IllegalArgumentException("state dict has unexpected key '" + sourceKey + "' with shape "
                        + TensorSlot.shapeText(source.shape(sourceKey)) + " (not part of a ViT "
                        + describe(layout.config()) + ")");
            }
            if (keys.put(key, sourceKey) != null) {
                throw new IllegalArgumentException("state dict has key '" + key + "' twice (with and without a prefix)");
            }
            TensorSlot slot = layout.slot(key);
            long[] found = source.shape(sourceKey);
            if (!Arrays.equals(found, slot.shape())) {
                boolean gridDependent = key.equals("pos_embed") || key.equals("feature.0.weight");
                throw new IllegalArgumentException("state dict key '" + sourceKey + "' has shape "
                        + TensorSlot.shapeText(found) + ", expected " + slot.shapeText() + " for a ViT "
                        + describe(layout.config())
                        + (gridDependent ? " (weights for another input size: resample them with GridResize)" : ""));
            }
        }
        for (TensorSlot slot : layout.slots()) {
            if (slot.kind() != TensorSlot.Kind.BATCH_COUNTER && !keys.containsKey(slot.key())) {
                throw new IllegalArgumentException("state dict lacks key '" + slot.key() + "' with shape "
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
        model.backend().upload(values, arenaSlice(model, slot));
    }

    static float[] download(VisionTransformer model, TensorSlot slot) {
        return model.backend().download(arenaSlice(model, slot));
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
