package org.unicom4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.api.BatchObserver;
import org.unicom4j.api.ImageEmbedder;
import org.unicom4j.api.TestImages;
import org.unicom4j.retrieval.lucene.VectorIndexReader;

/** Every endpoint through HTTP on loopback, against a tiny model with random weights. */
class SearchServerTest {
    @TempDir
    static Path dir;
    private static SearchServer server;
    private static Client client;

    @BeforeAll
    static void start() throws Exception {
        server = SearchServer.start(ImageEmbedder.builder().randomWeights("tiny", 31).backend("cpu").maxBatch(8),
                dir.resolve("index"), ServeSettings.defaults().withPort(0));
        client = new Client(server.url(), null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode ok(HttpResponse<byte[]> response, int status) {
        assertEquals(status, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return Client.json(response);
    }

    private static int committed() {
        try (VectorIndexReader reader = VectorIndexReader.open(dir.resolve("index"))) {
            return reader.size();
        }
    }

    @Test
    void embedGivesTheLibrarysUnitVectorAndTheModelId() {
        byte[] png = TestImages.png(1, 40, 30);
        JsonNode body = ok(client.post("/v1/embed", "image/png", png), 200);
        assertEquals(server.embedder().modelId(), body.get("model_id").asText());
        assertEquals(32, body.get("dim").asInt());
        float[] expected = server.embedder().embed(png);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], body.get("vector").get(i).floatValue(), 1e-5);
        }
        assertTrue(body.get("timings_ms").has("embed"));
    }

    @Test
    void addSearchThumbnailListAndDeleteOneImage() throws Exception {
        String id = "shirts/blue shirt #1.png"; // slashes, a space and a hash travel percent-encoded
        byte[] png = TestImages.png(2, 64, 48);
        int before = committed();
        JsonNode added = ok(client.post("/v1/images?id=" + encode(id) + "&label=3", "image/png", png), 201);
        assertEquals(id, added.get("id").asText());
        assertEquals(before + 1, committed(), "durable when acknowledged");

        JsonNode found = ok(client.post("/v1/search?k=3", "image/png", png), 200);
        JsonNode top = found.get("hits").get(0);
        assertEquals(id, top.get("id").asText());
        assertEquals(3, top.get("label").asInt());
        assertEquals(1.0, top.get("score").asDouble(), 1e-4);
        HttpResponse<byte[]> thumbnail = client.get(top.get("thumbnail").asText());
        assertEquals(200, thumbnail.statusCode());
        assertEquals("image/png", thumbnail.headers().firstValue("Content-Type").orElse(""));
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
        assertEquals(64, picture.getWidth(), "stored at its own size, under 128 px");

        String vector = new ObjectMapper().writeValueAsString(Map.of("vector", server.embedder().embed(png)));
        JsonNode byVector = ok(client.post("/v1/search?k=1", "application/json", vector.getBytes()), 200);
        assertEquals(id, byVector.get("hits").get(0).get("id").asText());

        JsonNode page = ok(client.get("/v1/images?offset=0&limit=500"), 200);
        List<String> ids = new ArrayList<>();
        page.get("images").forEach(image -> ids.add(image.get("id").asText()));
        assertTrue(ids.contains(id), ids.toString());
        assertEquals(page.get("total").asInt(), ids.size());
        assertEquals(ids.stream().sorted().toList(), ids);

        JsonNode deleted = ok(client.delete("/v1/images/" + encode(id)), 200);
        assertEquals(id, deleted.get("deleted").asText());
        assertEquals(before, committed(), "the delete is durable when acknowledged");
        assertEquals(404, client.delete("/v1/images/" + encode(id)).statusCode());
        assertEquals(404, client.get(top.get("thumbnail").asText()).statusCode());
    }

    @Test
    void concurrentAddsAndSearchesAllSucceedAndEveryAddIsCommitted() throws Exception {
        int writers = 6, each = 5, searchers = 4;
        AtomicReference<String> failure = new AtomicReference<>();
        int before = server.index().size();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) {
                    HttpResponse<byte[]> r = client.post("/v1/images?id=c" + writer + "-" + i + "&label=" + writer,
                            "image/png", TestImages.png(500 + writer * each + i, 32, 32));
                    if (r.statusCode() != 201) {
                        failure.compareAndSet(null, "add: " + r.statusCode() + " " + new String(r.body()));
                    }
                }
            }));
        }
        for (int s = 0; s < searchers; s++) {
            int searcher = s;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) {
                    HttpResponse<byte[]> r = client.post("/v1/search?k=5", "image/png",
                            TestImages.png(900 + searcher * each + i, 32, 32));
                    if (r.statusCode() != 200) {
                        failure.compareAndSet(null, "search: " + r.statusCode() + " " + new String(r.body()));
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failure.get(), failure.get());
        assertEquals(before + writers * each, server.index().size());
        assertEquals(server.index().size(), committed());
        for (int w = 0; w < writers; w++) {
            String id = "c" + w + "-2";
            JsonNode hits = ok(client.post("/v1/search?k=1", "image/png", TestImages.png(500 + w * each + 2, 32, 32)),
                    200).get("hits");
            assertEquals(id, hits.get(0).get("id").asText());
        }
    }

    @Test
    void requestsArrivingDuringAPassShareTheNextOne() throws Exception {
        CountDownLatch firstPassDone = new CountDownLatch(1), release = new CountDownLatch(1);
        AtomicInteger passes = new AtomicInteger();
        BatchObserver holdAfterFirstPass = (size, wait, forward) -> {
            if (passes.incrementAndGet() == 1) {
                firstPassDone.countDown();
                awaitQuietly(release); // the worker is held here, as if the first pass were still running
            }
        };
        try (SearchServer batching = SearchServer.start(ImageEmbedder.builder().randomWeights("tiny", 31)
                .backend("cpu").maxBatch(4).onBatch(holdAfterFirstPass), dir.resolve("batching"),
                ServeSettings.defaults().withPort(0))) {
            Client c = new Client(batching.url(), null);
            assertEquals(200, c.post("/v1/embed", "image/png", TestImages.png(69, 32, 32)).statusCode());
            firstPassDone.await();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byte[] png = TestImages.png(70 + i, 32, 32);
                threads.add(Thread.ofVirtual().start(() -> assertEquals(200,
                        c.post("/v1/embed", "image/png", png).statusCode())));
            }
            while (ok(c.get("/health"), 200).get("queue_depth").asInt() < 4) {
                Thread.sleep(1);
            }
            release.countDown();
            for (Thread t : threads) {
                t.join();
            }
            String metrics = new String(c.get("/metrics").body(), StandardCharsets.UTF_8);
            assertEquals(2, metric(metrics, "unicom4j_embed_batch_size_count"), metrics);
            assertEquals(5, metric(metrics, "unicom4j_embed_batch_size_sum"));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void healthAndMetricsReportTheModelTheIndexAndTheRequests() {
        JsonNode health = ok(client.get("/health"), 200);
        assertEquals("ok", health.get("status").asText());
        assertEquals(server.embedder().modelId(), health.get("model_id").asText());
        assertEquals(server.index().size(), health.get("index_size").asInt());
        assertEquals(8, health.get("max_batch").asInt());

        client.post("/v1/embed", "image/png", TestImages.png(3, 32, 32));
        client.post("/v1/embed", "text/plain", "x".getBytes());
        String metrics = new String(client.get("/metrics").body(), StandardCharsets.UTF_8);
        assertTrue(metric(metrics, "unicom4j_http_requests_total{route=\"POST /v1/embed\",code=\"200\"}") >= 1);
        assertTrue(metric(metrics, "unicom4j_http_requests_total{route=\"POST /v1/embed\",code=\"415\"}") >= 1);
        assertTrue(metric(metrics, "unicom4j_http_request_duration_seconds_count{route=\"POST /v1/embed\"}") >= 2);
        assertTrue(metrics.contains("unicom4j_http_request_duration_seconds_bucket{route=\"POST /v1/embed\",le=\"+Inf\"}"));
        assertTrue(metric(metrics, "unicom4j_embed_batch_size_count") >= 1);
        assertEquals(server.index().size(), metric(metrics, "unicom4j_index_images"));
        assertEquals(0, metric(metrics, "unicom4j_embed_queue_depth"));
        for (String type : List.of("# TYPE unicom4j_http_requests_total counter",
                "# TYPE unicom4j_http_request_duration_seconds histogram", "# TYPE unicom4j_embed_batch_size histogram",
                "# TYPE unicom4j_embed_queue_depth gauge", "# TYPE unicom4j_index_images gauge")) {
            assertTrue(metrics.contains(type), type);
        }
    }

    @Test
    void theOpenApiDocumentListsExactlyTheRoutesServed() throws Exception {
        JsonNode doc = ok(client.get("/openapi.json"), 200);
        assertEquals("3.0.3", doc.get("openapi").asText());
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
        }
        Set<String> served = Set.of("POST /v1/embed", "POST /v1/search", "POST /v1/images", "GET /v1/images",
                "DELETE /v1/images/{id}", "GET /v1/images/{id}/thumbnail", "GET /health", "GET /metrics",
                "GET /openapi.json");
        assertEquals(served, documented);
        for (String route : served) { // each answers something other than "no such route"
            String[] parts = route.split(" ");
            String path = parts[1].replace("{id}", "x");
            HttpResponse<byte[]> r = client.send(client.request(path).method(parts[0],
                    java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            assertTrue(!new String(r.body(), StandardCharsets.UTF_8).contains("no such route"), route);
        }
    }

    @Test
    void thePageAndItsAssetsComeFromTheJarWithAStrictContentPolicy() {
        HttpResponse<byte[]> page = client.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.startsWith("default-src 'self'"), policy);
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("/assets/app.js") && !html.contains("http://") && !html.contains("https://"));
        assertEquals(200, client.get("/assets/app.js").statusCode());
        assertEquals(200, client.get("/assets/app.css").statusCode());
        assertEquals(404, client.get("/assets/..%2Fweb%2Findex.html").statusCode());
        assertTrue(client.get("/health").headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                "CORS is off by default");
    }

    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no metric " + name);
        }
        return Double.parseDouble(m.group(1));
    }

    static String encode(String id) {
        return java.net.URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
