package org.unicom4j.serve;

import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** Reading request bodies within the size limit, and telling image bodies from JSON ones by their content type. */
final class RequestBodies {
    /** What a body holds, by its content type. */
    enum Kind { IMAGE, JSON }

    private RequestBodies() {
    }

    /**
     * The body's kind: {@code image/*} or {@code application/octet-stream} is an encoded image, {@code application/json}
     * JSON; anything else, or no content type, is a 415 naming what the route takes.
     */
    static Kind kind(ServerRequest req, boolean jsonAllowed) {
        Optional<HttpMediaType> type = req.headers().contentType();
        String accepted = jsonAllowed ? "an image (image/png, image/jpeg, ... or application/octet-stream) or "
                + "application/json" : "an image (image/png, image/jpeg, ... or application/octet-stream)";
        if (type.isEmpty()) {
            throw new ApiException(415, "no Content-Type: send " + accepted);
        }
        String t = type.get().mediaType().type().toLowerCase(Locale.ROOT);
        String sub = type.get().mediaType().subtype().toLowerCase(Locale.ROOT);
        if (t.equals("image") || (t.equals("application") && sub.equals("octet-stream"))) {
            return Kind.IMAGE;
        }
        if (jsonAllowed && t.equals("application") && sub.equals("json")) {
            return Kind.JSON;
        }
        throw new ApiException(415, "Content-Type " + t + "/" + sub + " is not accepted here: send " + accepted);
    }

    /** Refuses, before reading anything, a body whose declared length is over {@code max} bytes. */
    static void checkDeclaredLength(ServerRequest req, long max) {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > max) {
            throw new ApiException(413, "a request body of " + declared.getAsLong() + " bytes is over the limit of "
                    + max + " bytes (--max-body-bytes)");
        }
    }

    /** The whole body, at most {@code max} bytes (a longer one is refused as soon as it passes the limit). */
    static byte[] read(ServerRequest req, long max) {
        checkDeclaredLength(req, max);
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (body.length > max) {
                throw new ApiException(413, "the request body is over the limit of " + max
                        + " bytes (--max-body-bytes)");
            }
            if (body.length == 0) {
                throw new ApiException(400, "the request body is empty: send the image's bytes");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body: " + e.getMessage(), e);
        }
    }
}
