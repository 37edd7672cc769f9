package org.unicom4j.serve;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import org.unicom4j.api.BatchObserver;

/**
 * What {@code GET /metrics} shows, in the Prometheus text format (version 0.0.4): requests by route and status,
 * request latency by route, forward-pass batch sizes, queue waits and pass times, the embedding queue depth and the
 * index size.
 */
final class ServerMetrics implements BatchObserver {
    private static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
            30};
    private static final double[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Histogram batchSize = new Histogram(BATCH_SIZES);
    private final Histogram queueWait = new Histogram(SECONDS);
    private final Histogram forward = new Histogram(SECONDS);
    private volatile IntSupplier queueDepth = () -> 0;
    private volatile IntSupplier indexSize = () -> 0;

    /** Where the gauges read from, once the embedder and index are open. */
    void gauges(IntSupplier queueDepth, IntSupplier indexSize) {
        this.queueDepth = queueDepth;
        this.indexSize = indexSize;
    }

    /** One request to {@code route} answered with {@code status} after {@code nanos}. */
    void request(String route, int status, long nanos) {
        requests.computeIfAbsent(labels(route) + ",code=\"" + status + "\"", k -> new LongAdder()).increment();
        latency.computeIfAbsent(labels(route), k -> new Histogram(SECONDS)).observe(nanos / 1e9);
    }

    @Override
    public void batchEmbedded(int size, long waitNanos, long forwardNanos) {
        batchSize.observe(size);
        queueWait.observe(waitNanos / 1e9);
        forward.observe(forwardNanos / 1e9);
    }

    /** The exposition text. */
    String render() {
        StringBuilder out = new StringBuilder(4096);
        header(out, "unicom4j_http_requests_total", "counter", "HTTP requests answered, by route and status code.");
        new TreeMap<>(requests).forEach((labels, n) -> out.append("unicom4j_http_requests_total{").append(labels)
                .append("} ").append(n.sum()).append('\n'));
        header(out, "unicom4j_http_request_duration_seconds", "histogram", "Time from request to response, by route.");
        new TreeMap<>(latency).forEach((labels, h) -> h.write(out, "unicom4j_http_request_duration_seconds", labels));
        header(out, "unicom4j_embed_batch_size", "histogram", "Images per forward pass.");
        batchSize.write(out, "unicom4j_embed_batch_size", "");
        header(out, "unicom4j_embed_queue_wait_seconds", "histogram",
                "Time the oldest image of a pass waited in the queue.");
        queueWait.write(out, "unicom4j_embed_queue_wait_seconds", "");
        header(out, "unicom4j_embed_forward_seconds", "histogram", "Time of one forward pass.");
        forward.write(out, "unicom4j_embed_forward_seconds", "");
        header(out, "unicom4j_embed_queue_depth", "gauge", "Images waiting for a forward pass.");
        out.append("unicom4j_embed_queue_depth ").append(queueDepth.getAsInt()).append('\n');
        header(out, "unicom4j_index_images", "gauge", "Images in the index.");
        out.append("unicom4j_index_images ").append(indexSize.getAsInt()).append('\n');
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String labels(String route) {
        return "route=\"" + route.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
