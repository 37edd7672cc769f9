package org.unicom4j.serve;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.mapper.OptionalValue;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.unicom4j.api.ImageEmbedder;
import org.unicom4j.api.ImageIndex;
import org.unicom4j.api.SearchHit;
import org.unicom4j.api.Thumbnails;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.PixelImage;
import org.unicom4j.retrieval.lucene.IndexEntry;

/** The handlers of the {@code /v1} API and {@code /health}: each reads its request, calls the library API, answers JSON. */
final class ApiHandlers {
    /** The label of an image added without one. */
    static final int NO_LABEL = -1;
    private static final int MAX_ID_LENGTH = 512;
    private static final int MAX_PAGE = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageEmbedder embedder;
    private final ImageIndex index;
    private final ServeSettings settings;

    ApiHandlers(ImageEmbedder embedder, ImageIndex index, ServeSettings settings) {
        this.embedder = embedder;
        this.index = index;
        this.settings = settings;
    }

    /** {@code POST /v1/embed}: image bytes -> its embedding and the model id. */
    void embed(ServerRequest req, ServerResponse res) {
        RequestBodies.kind(req, false);
        byte[] body = RequestBodies.read(req, settings.maxBodyBytes());
        Timings timings = new Timings();
        float[] vector = await(embedder.embedAsync(body, bodyName(body)));
        timings.lap("embed");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_id", embedder.modelId());
        out.put("dim", vector.length);
        out.put("vector", vector);
        out.put("timings_ms", timings.millis());
        Responses.json(res, 200, out);
    }

    /** {@code POST /v1/search?k=}: an image, or JSON {@code {"vector": [...]}} -> the k nearest images. */
    void search(ServerRequest req, ServerResponse res) {
        int k = intParameter(req, "k", 10, 1, settings.maxK());
        RequestBodies.Kind kind = RequestBodies.kind(req, true);
        byte[] body = RequestBodies.read(req, settings.maxBodyBytes());
        Timings timings = new Timings();
        float[] query;
        if (kind == RequestBodies.Kind.JSON) {
            query = vector(body);
        } else {
            query = await(embedder.embedAsync(body, bodyName(body)));
            timings.lap("embed");
        }
        List<SearchHit> hits = index.search(query, k);
        timings.lap("search");
        List<Map<String, Object>> found = new ArrayList<>(hits.size());
        for (SearchHit h : hits) {
            Map<String, Object> hit = new LinkedHashMap<>();
            hit.put("id", h.id());
            hit.put("score", h.score());
            hit.put("label", h.label());
            hit.put("thumbnail", thumbnailLink(h.id()));
            found.add(hit);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_id", embedder.modelId());
        out.put("k", k);
        out.put("index_size", index.size());
        out.put("hits", found);
        out.put("timings_ms", timings.millis());
        Responses.json(res, 200, out);
    }

    /**
     * {@code POST /v1/images?id=&label=}: adds an image (id generated when not given, label -1 when not given);
     * answered 201 only once the add is committed to disk.
     */
    void add(ServerRequest req, ServerResponse res) {
        String id = req.query().first("id").map(ApiHandlers::checkId).orElseGet(() -> "img-" + UUID.randomUUID());
        int label = intParameter(req, "label", NO_LABEL, NO_LABEL, Integer.MAX_VALUE);
        RequestBodies.kind(req, false);
        PixelImage image = decode(RequestBodies.read(req, settings.maxBodyBytes()));
        if (index.contains(id)) {
            throw new ApiException(409, "id '" + id + "' is already in the index; delete it first to replace it");
        }
        float[] vector = await(embedder.embedAsync(image));
        try {
            index.add(id, label, vector, Thumbnails.pngAtMost(image, ImageIndex.THUMBNAIL_SIZE));
        } catch (InvalidInputException e) {
            if (index.contains(id)) { // added by a concurrent request since the check above
                throw new ApiException(409, "id '" + id + "' is already in the index; delete it first to replace it");
            }
            throw e;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("label", label);
        out.put("index_size", index.size());
        out.put("thumbnail", thumbnailLink(id));
        res.header("Location", "/v1/images/" + encode(id));
        Responses.json(res, 201, out);
    }

    /** {@code DELETE /v1/images/{id}}: removes the image; committed when answered. */
    void delete(ServerRequest req, ServerResponse res) {
        String id = pathId(req);
        if (!index.delete(id)) {
            throw new ApiException(404, "no image with id '" + id + "' in the index");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deleted", id);
        out.put("index_size", index.size());
        Responses.json(res, 200, out);
    }

    /** {@code GET /v1/images/{id}/thumbnail}: the PNG of an indexed image, found by its id only. */
    void thumbnail(ServerRequest req, ServerResponse res) {
        String id = pathId(req);
        byte[] png = index.thumbnail(id).orElseThrow(() -> new ApiException(404, index.contains(id)
                ? "image '" + id + "' has no thumbnail (its file is gone or unreadable)"
                : "no image with id '" + id + "' in the index"));
        res.header("Content-Type", "image/png");
        res.header("Cache-Control", "private, max-age=60");
        res.status(200).send(png);
    }

    /** {@code GET /v1/images?offset=&limit=}: a page of the index, ids in sorted order with labels and thumbnails. */
    void list(ServerRequest req, ServerResponse res) {
        int offset = intParameter(req, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParameter(req, "limit", 50, 1, MAX_PAGE);
        List<Map<String, Object>> images = new ArrayList<>();
        for (String id : index.ids(offset, limit)) {
            Optional<IndexEntry> entry = index.get(id);
            if (entry.isEmpty()) {
                continue; // deleted since the page was read
            }
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("id", id);
            image.put("label", entry.get().label());
            image.put("thumbnail", thumbnailLink(id));
            images.add(image);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", index.size());
        out.put("offset", offset);
        out.put("images", images);
        Responses.json(res, 200, out);
    }

    /** {@code GET /health}: up, with the model, the index size and the embedding queue. */
    void health(ServerRequest req, ServerResponse res) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "ok");
        out.put("model_id", embedder.modelId());
        out.put("dim", embedder.dim());
        out.put("index_size", index.size());
        out.put("max_batch", embedder.maxBatch());
        out.put("max_wait_ms", embedder.maxWait().toNanos() / 1e6);
        out.put("queue_depth", embedder.queueDepth());
        out.put("max_k", settings.maxK());
        Responses.json(res, 200, out);
    }

    static String thumbnailLink(String id) {
        return "/v1/images/" + encode(id) + "/thumbnail";
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private PixelImage decode(byte[] body) {
        return embedder.decode(body, bodyName(body));
    }

    private static String bodyName(byte[] body) {
        return "request body (" + body.length + " bytes)";
    }

    /** The embedding, or a 503 when no forward pass took it within the request timeout (the future is cancelled). */
    private float[] await(CompletableFuture<float[]> pending) {
        try {
            return pending.get(settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(false);
            throw new ApiException(503, "no forward pass within " + settings.requestTimeout().toMillis()
                    + " ms (the server is overloaded): try again later");
        } catch (InterruptedException e) {
            pending.cancel(false);
            Thread.currentThread().interrupt();
            throw new ApiException(503, "the server is stopping");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("embedding failed: " + e.getCause(), e.getCause());
        }
    }

    private float[] vector(byte[] body) {
        JsonNode values;
        try {
            values = JSON.readTree(body).path("vector");
        } catch (JacksonException e) {
            throw new ApiException(400, "the JSON body does not parse: " + e.getOriginalMessage().replace('\n', ' '));
        } catch (IOException e) { // reading a byte array fails only as above
            throw new UncheckedIOException(e);
        }
        if (!values.isArray() || values.isEmpty()) {
            throw new ApiException(400, "the JSON body needs \"vector\": an array of " + embedder.dim() + " numbers");
        }
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            if (!values.get(i).isNumber()) {
                throw new ApiException(400, "\"vector\"[" + i + "] is not a number");
            }
            v[i] = values.get(i).floatValue();
        }
        return v;
    }

    private static String pathId(ServerRequest req) {
        return checkId(req.path().pathParameters().get("id"));
    }

    private static String checkId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(400, "an image id must be 1 to " + MAX_ID_LENGTH + " characters without control "
                    + "characters");
        }
        return id;
    }

    private static int intParameter(ServerRequest req, String name, int fallback, int min, int max) {
        OptionalValue<String> given = req.query().first(name);
        if (given.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(given.get().strip());
        } catch (NumberFormatException e) {
            throw new ApiException(400, name + "=" + abbreviate(given.get()) + " is not an integer");
        }
        if (value < min || value > max) {
            throw new ApiException(400, name + "=" + value + " is out of range: expected " + min + " .. " + max);
        }
        return value;
    }

    private static String abbreviate(String s) {
        String shown = s.length() <= 40 ? s : s.substring(0, 40) + "...";
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
