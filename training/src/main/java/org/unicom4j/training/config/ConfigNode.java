package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One JSON object of a config file, read key by key with defaults and range checks. Every key read is
 * remembered, so {@link #finish()} can reject the ones nobody asked for (a misspelt key must not be silently
 * ignored). Errors are one-line {@link InvalidConfigException}s naming the file, the dotted key, what was expected
 * and what was found. A method's or stage's own keys are read the same way.
 */
public final class ConfigNode {
    private final JsonNode node;
    private final String source;
    private final String path;
    private final Set<String> known = new LinkedHashSet<>();

    private ConfigNode(JsonNode node, String source, String path) {
        this.node = node;
        this.source = source;
        this.path = path;
    }

    /** The top-level object of {@code source} (a file name, for messages). */
    public static ConfigNode root(JsonNode node, String source) {
        if (node == null || !node.isObject()) {
            throw new InvalidConfigException(source + ": expected a JSON object at the top level");
        }
        return new ConfigNode(node, source, "");
    }

    public boolean has(String key) {
        known.add(key);
        return node.has(key) && !node.get(key).isNull();
    }

    /** Whether the object holds {@code key}, without counting it as read (for keys this object must refuse). */
    public boolean contains(String key) {
        return node.has(key);
    }

    /** The dotted name of {@code key} for messages, e.g. {@code loss.margin}. */
    public String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public InvalidConfigException bad(String key, String expected) {
        JsonNode v = node.get(key);
        return new InvalidConfigException(source + ": config key '" + name(key) + "': expected " + expected
                + ", got " + (v == null ? "nothing" : v.toString()));
    }

    public double number(String key, double fallback, double min, double max) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max)) {
            throw bad(key, "a number in [" + fmt(min) + ", " + fmt(max) + "]");
        }
        return v.asDouble();
    }

    /** A number > 0 (and finite). */
    public double positive(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isNumber() || !(v.asDouble() > 0) || !Double.isFinite(v.asDouble())) {
            throw bad(key, "a finite number > 0");
        }
        return v.asDouble();
    }

    public long integer(String key, long fallback, long min, long max) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw bad(key, "an integer in [" + min + ", " + max + "]");
        }
        return v.asLong();
    }

    /** A required integer. */
    public long integer(String key, long min, long max) {
        if (!has(key)) {
            throw new InvalidConfigException(source + ": config key '" + name(key) + "' is required");
        }
        return integer(key, 0, min, max);
    }

    public boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        if (!node.get(key).isBoolean()) {
            throw bad(key, "true or false");
        }
        return node.get(key).asBoolean();
    }

    public String text(String key, String fallback) {
        if (!has(key)) {
            if (fallback == null) {
                throw new InvalidConfigException(source + ": config key '" + name(key) + "' is required");
            }
            return fallback;
        }
        if (!node.get(key).isTextual() || node.get(key).asText().isBlank()) {
            throw bad(key, "a non-empty string");
        }
        return node.get(key).asText();
    }

    public Optional<String> optionalText(String key) {
        return has(key) ? Optional.of(text(key, null)) : Optional.empty();
    }

    /** One of {@code choices} (compared ignoring case, returned as listed). */
    public String choice(String key, String fallback, String... choices) {
        String v = text(key, fallback);
        for (String c : choices) {
            if (c.equalsIgnoreCase(v)) {
                return c;
            }
        }
        throw bad(key, "one of " + String.join(", ", choices));
    }

    public ConfigNode object(String key) {
        if (!has(key)) {
            throw new InvalidConfigException(source + ": config key '" + name(key) + "' is required");
        }
        if (!node.get(key).isObject()) {
            throw bad(key, "a JSON object");
        }
        return new ConfigNode(node.get(key), source, name(key));
    }

    public Optional<ConfigNode> optionalObject(String key) {
        return has(key) ? Optional.of(object(key)) : Optional.empty();
    }

    /** The objects of array {@code key} (required, at least one), named {@code key[i]} in messages. */
    public List<ConfigNode> objects(String key) {
        if (!has(key)) {
            throw new InvalidConfigException(source + ": config key '" + name(key) + "' is required");
        }
        JsonNode array = node.get(key);
        if (!array.isArray() || array.isEmpty()) {
            throw bad(key, "a non-empty array of objects");
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String item = name(key) + "[" + i + "]";
            if (!array.get(i).isObject()) {
                throw new InvalidConfigException(source + ": config key '" + item + "': expected a JSON object, got "
                        + array.get(i));
            }
            out.add(new ConfigNode(array.get(i), source, item));
        }
        return out;
    }

    /** An array of integers in [min, max] (at least one), or {@code fallback} when absent. */
    public int[] integers(String key, int[] fallback, int min, int max) {
        if (!has(key)) {
            return fallback.clone();
        }
        JsonNode array = node.get(key);
        String expected = "a non-empty array of integers in [" + min + ", " + max + "]";
        if (!array.isArray() || array.isEmpty()) {
            throw bad(key, expected);
        }
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
                throw bad(key, expected);
            }
            out[i] = v.asInt();
        }
        return out;
    }

    /** The dotted path of this object, e.g. {@code stages[2]} (empty at the top level). */
    public String path() {
        return path;
    }

    public JsonNode raw(String key) {
        known.add(key);
        return node.get(key);
    }

    public String source() {
        return source;
    }

    /** Rejects keys that were never read. */
    public void finish() {
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new InvalidConfigException(source + ": unknown config key '" + name(key) + "' (known"
                        + (path.isEmpty() ? "" : " in " + path) + ": " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private static String fmt(double v) {
        if (v == Double.MAX_VALUE || v == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        return path + Arrays.toString(known.toArray());
    }
}
