package org.unicom4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.api.ImageEmbedder;
import org.unicom4j.api.LabeledImage;
import org.unicom4j.api.TestImages;
import org.unicom4j.data.image.ImageDecoder;

/**
 * A bounded load test on loopback: 16 clients for 30 seconds, each sending searches (nine in ten) and embeds of
 * 28 px PNGs, one request at a time, to the demo's model shape over an index of 2,000 images. No request may fail;
 * the latency percentiles are written to {@code target/load-test.json} (no timing is asserted).
 */
class LoadIT {
    private static final int CLIENTS = 16;
    private static final Duration LENGTH = Duration.ofSeconds(30);
    private static final int MAX_REQUESTS_PER_CLIENT = 100_000;

    @Test
    void sixteenClientsForThirtySecondsGetNoError(@TempDir Path dir) throws Exception {
        Path model = TestImages.savedModel(dir.resolve("model.safetensors"), TestImages.DEMO_SHAPE, 9);
        List<byte[]> queries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            queries.add(TestImages.png(50_000 + i, 28, 28));
        }
        try (SearchServer server = SearchServer.start(ImageEmbedder.builder().weights(model).backend("cpu")
                .maxBatch(16), dir.resolve("index"), ServeSettings.defaults().withPort(0))) {
            List<LabeledImage> images = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                images.add(new LabeledImage("img-" + i, i % 10, ImageDecoder.toPixels(TestImages.picture(i, 28, 28))));
            }
            server.index().addAll(images);
            Client client = new Client(server.url(), null);
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            AtomicInteger errors = new AtomicInteger();
            AtomicReference<String> firstError = new AtomicReference<>();
            long end = System.nanoTime() + LENGTH.toNanos();
            long start = System.nanoTime();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                clients.add(Thread.ofPlatform().name("load-client-" + c).start(() -> {
                    for (int n = 0; n < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < end; n++) {
                        byte[] png = queries.get((id * 31 + n) % queries.size());
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> r = n % 10 == 9 ? client.post("/v1/embed", "image/png", png)
                                : client.post("/v1/search?k=10", "image/png", png);
                        latencies.add(System.nanoTime() - t0);
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, r.statusCode() + " " + new String(r.body()));
                        }
                    }
                }));
            }
            for (Thread t : clients) {
                t.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("clients", CLIENTS);
            report.put("seconds", seconds);
            report.put("requests", sorted.length);
            report.put("errors", errors.get());
            report.put("requests_per_second", sorted.length / seconds);
            for (double p : new double[] {50, 90, 99}) {
                report.put("p" + (int) p + "_ms", percentile(sorted, p) / 1e6);
            }
            report.put("max_ms", sorted[sorted.length - 1] / 1e6);
            report.put("load_average", Files.readString(Path.of("/proc/loadavg")).strip());
            Files.createDirectories(Path.of("target"));
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(Path.of("target", "load-test.json")
                    .toFile(), report);
            System.out.println("load test: " + report);
            assertEquals(0, errors.get(), () -> errors.get() + " failed requests, the first: " + firstError.get());
            assertTrue(sorted.length >= CLIENTS, Arrays.toString(sorted));
            assertEquals(200, client.get("/health").statusCode());
        }
    }

    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}
