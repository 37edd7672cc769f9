package org.unicom4j.serve;

import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The page and its assets, read from the jar once: nothing is fetched from elsewhere, and a name that is not one of
 * these is a 404 (no path from the request ever reaches the file system).
 */
final class WebAssets {
    private static final List<String> NAMES = List.of("index.html", "app.js", "app.css", "openapi.json");
    /** The page may load its own scripts, styles and images only (blob: for the picked query image). */
    private static final String PAGE_POLICY = "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

    private final Map<String, byte[]> content;

    private WebAssets(Map<String, byte[]> content) {
        this.content = content;
    }

    static WebAssets load() {
        Map<String, byte[]> content = new HashMap<>();
        for (String name : NAMES) {
            try (InputStream in = WebAssets.class.getResourceAsStream("web/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the jar lacks its web asset " + name);
                }
                content.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the web asset " + name, e);
            }
        }
        return new WebAssets(content);
    }

    /** Sends the asset {@code name}, or a 404 for any other name. */
    void send(ServerResponse res, String name) {
        byte[] bytes = content.get(name);
        if (bytes == null) {
            throw new ApiException(404, "no such asset: " + name);
        }
        res.header("Content-Type", type(name));
        res.header("Content-Security-Policy", PAGE_POLICY);
        res.header("Cache-Control", "no-cache");
        res.status(200).send(bytes);
    }

    private static String type(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "json" -> "application/json";
            default -> "application/octet-stream";
        };
    }
}
