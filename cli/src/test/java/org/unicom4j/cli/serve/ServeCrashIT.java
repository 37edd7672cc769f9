package org.unicom4j.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.api.TestImages;
import org.unicom4j.retrieval.lucene.IndexMeta;
import org.unicom4j.retrieval.lucene.PersistentVectorIndex;

/**
 * kill -9 during a stream of adds: after a restart the index opens, and every add the server acknowledged (201)
 * before it died is there.
 */
class ServeCrashIT {
    private static final String[] MODEL = {"--random-weights", "5", "--model", "tiny", "--backend", "cpu"};
    private static final int WRITERS = 4;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 60;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyAcknowledgedAddSurvivesAKill(@TempDir Path dir) throws Exception {
        String index = dir.resolve("index").toString();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        try (ServerProcess server = ServerProcess.start(dir.resolve("first.log"), withModel("--index", index))) {
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    // Bounded: at most 1,000 adds per writer; the stream ends when the server dies.
                    for (int i = 0; i < 1000; i++) {
                        String id = "w" + writer + "-" + i;
                        sent.incrementAndGet();
                        try {
                            HttpResponse<String> r = post(server.url() + "/v1/images?id=" + id + "&label=" + writer,
                                    TestImages.png(10_000 * writer + i, 32, 32));
                            if (r.statusCode() != 201) {
                                throw new AssertionError(id + ": " + r.statusCode() + " " + r.body());
                            }
                            acknowledged.add(id);
                        } catch (IOException e) {
                            return; // the server is gone
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            server.kill(); // mid-stream: requests are in flight, some adds applied but not yet committed
            for (Thread t : writers) {
                t.join();
            }
        }
        assertTrue(acknowledged.size() >= ACKNOWLEDGED_BEFORE_KILL, "acknowledged " + acknowledged.size());
        assertTrue(sent.get() > acknowledged.size(), "the kill came while adds were still being sent");

        try (ServerProcess restarted = ServerProcess.start(dir.resolve("second.log"), withModel("--index", index))) {
            Set<String> present = listAll(restarted.url());
            Set<String> missing = new HashSet<>(acknowledged);
            missing.removeAll(present);
            assertTrue(missing.isEmpty(), missing.size() + " acknowledged adds lost: " + missing);
            HttpResponse<String> search = post(restarted.url() + "/v1/search?k=1", TestImages.png(10_000 + 3, 32, 32));
            assertEquals(200, search.statusCode(), search.body());
            HttpResponse<String> add = post(restarted.url() + "/v1/images?id=after-restart", TestImages.png(1, 32, 32));
            assertEquals(201, add.statusCode(), add.body());
            restarted.stop();
        }
        // Stopped by SIGTERM: the lock is released and the last add is in the last commit.
        IndexMeta meta = PersistentVectorIndex.readMeta(Path.of(index));
        try (PersistentVectorIndex reopened = PersistentVectorIndex.openOrCreate(Path.of(index), meta.dim(),
                meta.modelId(), meta.quantized())) {
            assertTrue(reopened.contains("after-restart"));
            assertTrue(reopened.size() >= acknowledged.size() + 1);
        }
    }

    private static String[] withModel(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(MODEL));
        return all.toArray(String[]::new);
    }

    private HttpResponse<String> post(String url, byte[] png) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private Set<String> listAll(String url) throws Exception {
        Set<String> ids = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        for (int offset = 0; ; offset += 500) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/images?limit=500&offset="
                    + offset)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode page = json.readTree(r.body());
            page.get("images").forEach(image -> ids.add(image.get("id").asText()));
            if (page.get("images").isEmpty()) {
                return ids;
            }
        }
    }
}
