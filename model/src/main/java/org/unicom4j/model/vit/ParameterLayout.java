package org.unicom4j.model.vit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every state-dict key of a Unicom ViT in the released checkpoints' order (spec section 2), with the offset of
 * each parameter in one parameter arena (the gradient arena shares the layout) and of each BatchNorm running
 * statistic in a small statistics arena.
 */
public final class ParameterLayout {
    private final VitConfig config;
    private final List<TensorSlot> slots;
    private final Map<String, TensorSlot> byKey;
    private final long parameterCount;
    private final long statisticCount;

    private ParameterLayout(VitConfig config) {
        this.config = config;
        Builder b = new Builder();
        long d = config.width(), n = config.tokens();
        b.param("pos_embed", 1, n, d);
        b.param("patch_embed.proj.weight", d, config.channels(), config.patch(), config.patch());
        b.param("patch_embed.proj.bias", d);
        for (int i = 0; i < config.depth(); i++) {
            String p = "blocks." + i + ".";
            b.param(p + "norm1.weight", d);
            b.param(p + "norm1.bias", d);
            b.param(p + "norm2.weight", d);
            b.param(p + "norm2.bias", d);
            b.param(p + "attn.qkv.weight", 3 * d, d);
            b.param(p + "attn.proj.weight", d, d);
            b.param(p + "attn.proj.bias", d);
            b.param(p + "mlp.fc1.weight", config.mlpHidden(), d);
            b.param(p + "mlp.fc1.bias", config.mlpHidden());
            b.param(p + "mlp.fc2.weight", d, config.mlpHidden());
            b.param(p + "mlp.fc2.bias", d);
        }
        b.param("norm.weight", d);
        b.param("norm.bias", d);
        b.param("feature.0.weight", d, n * d);
        b.batchNorm("feature.1", d);
        b.param("feature.2.weight", config.embedding(), d);
        b.batchNorm("feature.3", config.embedding());
        this.slots = Collections.unmodifiableList(b.slots);
        Map<String, TensorSlot> map = new LinkedHashMap<>();
        for (TensorSlot s : slots) {
            map.put(s.key(), s);
        }
        this.byKey = Collections.unmodifiableMap(map);
        this.parameterCount = b.parameters;
        this.statisticCount = b.statistics;
    }

    public static ParameterLayout of(VitConfig config) {
        return new ParameterLayout(config);
    }

    public VitConfig config() {
        return config;
    }

    /** Every state-dict entry in checkpoint order. */
    public List<TensorSlot> slots() {
        return slots;
    }

    /** The entry for {@code key}; IllegalArgumentException naming it when the model has no such key. */
    public TensorSlot slot(String key) {
        TensorSlot s = byKey.get(key);
        if (s == null) {
            throw new IllegalArgumentException("unknown ViT state-dict key '" + key + "'");
        }
        return s;
    }

    public boolean contains(String key) {
        return byKey.containsKey(key);
    }

    /** Length of the parameter (and gradient) arena: the trainable parameter count. */
    public long parameterCount() {
        return parameterCount;
    }

    /** Length of the running-statistics arena. */
    public long statisticCount() {
        return statisticCount;
    }

    private static final class Builder {
        final List<TensorSlot> slots = new ArrayList<>();
        long parameters;
        long statistics;

        void param(String key, long... shape) {
            TensorSlot s = new TensorSlot(key, shape, TensorSlot.Kind.PARAMETER, parameters);
            slots.add(s);
            parameters += s.size();
        }

        void batchNorm(String prefix, long features) {
            param(prefix + ".weight", features);
            param(prefix + ".bias", features);
            for (String stat : new String[] {"running_mean", "running_var"}) {
                slots.add(new TensorSlot(prefix + "." + stat, new long[] {features},
                        TensorSlot.Kind.RUNNING_STATISTIC, statistics));
                statistics += features;
            }
            slots.add(new TensorSlot(prefix + ".num_batches_tracked", new long[0], TensorSlot.Kind.BATCH_COUNTER, 0));
        }
    }
}
