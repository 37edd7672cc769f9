package org.unicom4j.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.unicom4j.data.io.AtomicFile;

/**
 * What a finished stage reports, as its folder's {@code result.json} holds it: name, type, seconds and the
 * stage's own figures ({@code details}: an evaluation's metrics, a training's steps and images per second). The
 * file is written last, atomically, so it also marks the stage complete for a resumed run.
 *
 * @param folder where the stage's outputs are
 */
public record StageResult(String name, String type, double seconds, JsonNode details, Path folder) {
    static final String FILE = "result.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A new, empty details object. */
    static ObjectNode newDetails() {
        return JSON.createObjectNode();
    }

    /** Writes {@code result.json} into the folder. */
    void write() throws IOException {
        ObjectNode root = JSON.createObjectNode().put("name", name).put("type", type)
                .put("seconds", Math.round(seconds * 10) / 10.0);
        root.setAll((ObjectNode) details);
        byte[] bytes = JSON.writeValueAsBytes(root);
        Files.createDirectories(folder);
        AtomicFile.write(folder.resolve(FILE), ch -> ch.write(ByteBuffer.wrap(bytes)));
    }

    /** The result a completed stage left in {@code folder}, or null if it did not complete. */
    static StageResult read(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        String name = root.remove("name").asText();
        String type = root.remove("type").asText();
        double seconds = root.remove("seconds").asDouble();
        return new StageResult(name, type, seconds, root, folder);
    }
}
