package org.unicom4j.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.unicom4j.data.InvalidInputException;

/**
 * One JSON object of a config file, read key by key with defaults and range checks. Every key read is
 * remembered, so {@link #finish()} can reject the ones nobody asked for (a misspelt key must not be silently
 * ignored). Errors are one-line InvalidInputExceptions naming the file, the dotted key, what was expected and
 * what was found.
 */
final class ConfigNode {
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
    static ConfigNode root(JsonNode node, String source) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(source + ": expected a JSON object at the top level");
        }
        return new ConfigNode(node, source, "");
    }

    boolean has(String key) {
        known.add(key);
        return node.has(key) && !node.get(key).isNull();
    }

    /** The dotted name of {@code key} for messages, e.g. {@code loss.margin}. */
    String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    InvalidInputException bad(String key, String expected) {
        JsonNode v = node.get(key);
        return new InvalidInputException(source + ": config key '" + name(key) + "': expected " + expected
                + ", got " + (v == null ? "nothing" : v.toString()));
    }

    double number(String key, double fallback, double min, double max) {
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
    double positive(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isNumber() || !(v.asDouble() > 0) || !Double.isFinite(v.asDouble())) {
            throw bad(key, "a finite number > 0");
        }
        return v.asDouble();
    }

    long integer(String key, long fallback, long min, long max) {
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
    long integer(String key, long min, long max) {
        if (!has(key)) {
            throw new InvalidInputException(source + ": config key '" + name(key) + "' is required");
        }
        return integer(key, 0, min, max);
    }

    boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        if (!node.get(key).isBoolean()) {
            throw bad(key, "true or false");
        }
        return node.get(key).asBoolean();
    }

    String text(String key, String fallback) {
        if (!has(key)) {
            if (fallback == null) {
                throw new InvalidInputException(source + ": config key '" + name(key) + "' is required");
            }
            return fallback;
        }
        if (!node.get(key).isTextual() || node.get(key).asText().isBlank()) {
            throw bad(key, "a non-empty string");
        }
        return node.get(key).asText();
    }

    Optional<String> optionalText(String key) {
        return has(key) ? Optional.of(text(key, null)) : Optional.empty();
    }

    /** One of {@code choices} (compared ignoring case, returned as listed). */
    String choice(String key, String fallback, String... choices) {
        String v = text(key, fallback);
        for (String c : choices) {
            if (c.equalsIgnoreCase(v)) {
                return c;
            }
        }
        throw bad(key, "one of " + String.join(", ", choices));
    }

    ConfigNode object(String key) {
        if (!has(key)) {
            throw new InvalidInputException(source + ": config key '" + name(key) + "' is required");
        }
        if (!node.get(key).isObject()) {
            throw bad(key, "a JSON object");
        }
        return new ConfigNode(node.get(key), source, name(key));
    }

    Optional<ConfigNode> optionalObject(String key) {
        return has(key) ? Optional.of(object(key)) : Optional.empty();
    }

    JsonNode raw(String key) {
        known.add(key);
        return node.get(key);
    }

    String source() {
        return source;
    }

    /** Rejects keys that were never read. */
    void finish() {
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new InvalidInputException(source + ": unknown config key '" + name(key) + "' (known"
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
