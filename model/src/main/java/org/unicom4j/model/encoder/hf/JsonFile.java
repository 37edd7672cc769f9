package org.unicom4j.model.encoder.hf;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;

/** A JSON object read from a file, with typed field access whose errors are one line naming the file and key. */
record JsonFile(Path file, JsonNode root) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonFile read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": not found");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new FileFormatException(file + ": not JSON: " + e.getOriginalMessage().lines().findFirst()
                    .orElse(""), e);
        }
        if (root == null || !root.isObject()) {
            throw new FileFormatException(file + ": expected a JSON object");
        }
        return new JsonFile(file, root);
    }

    /** The nested object {@code key} of {@code node} as its own view (an empty object if absent). */
    JsonFile object(JsonNode node, String key) {
        JsonNode n = node.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return new JsonFile(file, JSON.createObjectNode());
        }
        if (!n.isObject()) {
            throw new FileFormatException(file + ": '" + key + "' must be an object");
        }
        return new JsonFile(file, n);
    }

    boolean has(String key) {
        return root.has(key) && !root.get(key).isNull();
    }

    String text(String key, String fallback) {
        JsonNode n = root.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw new FileFormatException(file + ": '" + key + "' must be a string, got " + n);
        }
        return n.asText();
    }

    /** A positive integer, or {@code fallback} when absent. */
    int positive(String key, int fallback) {
        return positive(root, key, fallback);
    }

    int positive(JsonNode node, String key, int fallback) {
        JsonNode n = node.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return fallback;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1) {
            throw new FileFormatException(file + ": '" + key + "' must be a positive integer, got " + n);
        }
        return n.asInt();
    }

    double number(String key, double fallback) {
        JsonNode n = root.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw new FileFormatException(file + ": '" + key + "' must be a number, got " + n);
        }
        return n.asDouble();
    }

    boolean flag(String key, boolean fallback) {
        JsonNode n = root.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw new FileFormatException(file + ": '" + key + "' must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    /** Three numbers (per-channel statistics), or {@code fallback} when absent. */
    float[] triple(String key, float[] fallback) {
        JsonNode n = root.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return fallback.clone();
        }
        if (n.isNumber()) {
            return new float[] {(float) n.asDouble(), (float) n.asDouble(), (float) n.asDouble()};
        }
        if (!n.isArray() || n.size() != 3 || !n.get(0).isNumber() || !n.get(1).isNumber() || !n.get(2).isNumber()) {
            throw new FileFormatException(file + ": '" + key + "' must be three numbers, got " + n);
        }
        return new float[] {(float) n.get(0).asDouble(), (float) n.get(1).asDouble(), (float) n.get(2).asDouble()};
    }
}
