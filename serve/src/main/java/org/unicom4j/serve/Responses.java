package org.unicom4j.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/** JSON responses, and the one-line JSON error every refusal gets. */
final class Responses {
    /** Floats written by Jackson's fast (Schubfach) writer: an embedding's 128 to 1024 numbers are most of a reply. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build());

    private Responses() {
    }

    static void json(ServerResponse res, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response as JSON: " + e.getOriginalMessage(), e);
        }
        res.header("Content-Type", "application/json");
        res.status(status).send(bytes);
    }

    /** {@code {"error": "<message on one line>"}} with {@code status}. */
    static void error(ServerResponse res, int status, String message) {
        String line = message == null ? "error" : message.replaceAll("[\\r\\n]+", " ");
        json(res, status, Map.of("error", line));
    }
}
