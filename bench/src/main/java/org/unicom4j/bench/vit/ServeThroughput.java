package org.unicom4j.bench.vit;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.unicom4j.api.ImageEmbedder;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.api.model.ModelLoader;
import org.unicom4j.api.model.ModelSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import org.unicom4j.model.ImageEncoder;
import org.unicom4j.serve.SearchServer;
import org.unicom4j.serve.ServeSettings;

/**
 * {@code unicom4j serve} against the model in-process: {@code POST /v1/embed} of PNGs at the model's input size from
 * 1, 4 and 16 loopback clients (each one request at a time), with batching on ({@code --max-batch}) and off (1),
 * and the model's {@link ImageEncoder} alone on preprocessed batches of {@code --max-batch} images. The headline ratio (server
 * at 16 clients, batching on, over in-process) is measured in alternating phases, so that a load from elsewhere
 * weighs on both sides alike; process CPU time per image is reported beside the wall-clock rates.
 *
 * <p>Usage: {@code ServeThroughput [--weights FILE | --model NAME] [--seconds 10] [--rounds 3] [--max-batch 16]
 * [--max-wait-ms 10] [--backend cpu] [--out runs/bench]}. Without {@code --weights}, {@code --model} (default the
 * demo's shape) is initialised from scratch: the same arithmetic as trained weights.
 */
public final class ServeThroughput {
    /** The Fashion-MNIST demo's model shape (examples/fashion-mnist-demo.json). */
    private static final String DEMO_SHAPE = "{\"imageSize\": 28, \"channels\": 1, \"patch\": 7, \"width\": 64, "
            + "\"depth\": 4, \"heads\": 4, \"mlpHidden\": 256, \"embedding\": 128, \"dropPathRate\": 0.0}";
    private static final int[] CLIENTS = {1, 4, 16};

    private ServeThroughput() {
    }

    /**
     * One phase's outcome; CPU seconds of the whole process and of its load-generating clients (their threads and
     * the HTTP client's), and of the forward passes (the embedder's worker and the CPU backend's threads).
     */
    private record Phase(String what, int clients, int maxBatch, int images, double seconds, double cpuSeconds,
                         double clientCpuSeconds, double forwardCpuSeconds, double p50Ms, double p99Ms) {
        double perSecond() {
            return images / seconds;
        }

        double cpuMsPerImage() {
            return cpuSeconds * 1000 / images;
        }

        /** Serving cost beside the forward pass: HTTP, decoding, preprocessing, JSON (the clients excluded). */
        double serverCpuMsPerImage() {
            return (cpuSeconds - clientCpuSeconds - forwardCpuSeconds) * 1000 / images;
        }

        double forwardCpuMsPerImage() {
            return forwardCpuSeconds * 1000 / images;
        }
    }

    /** CPU nanoseconds of the live threads whose names start with one of {@code prefixes}. */
    private static long threadCpu(String... prefixes) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && Arrays.stream(prefixes).anyMatch(p -> info.getThreadName().startsWith(p))) {
                sum += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /** The JDK HTTP client's selector and worker threads. */
    private static final String[] HTTP_CLIENT_THREADS = {"HttpClient"};
    private static final String[] FORWARD_THREADS = {"unicom4j-embedder", "unicom4j-cpu"};

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("weights", "model", "seconds", "rounds", "max-batch", "max-wait-ms",
                "backend", "out"), Set.of());
        Duration phase = Duration.ofSeconds(args.getInt("seconds", 10));
        int rounds = args.getInt("rounds", 3), maxBatch = args.getInt("max-batch", 16);
        double maxWaitMs = Double.parseDouble(args.get("max-wait-ms", "10"));
        String backendName = args.get("backend", "cpu");
        Path work = Files.createTempDirectory("serve-throughput");
        ModelSource source = args.has("weights") ? ModelSource.weights(Path.of(args.get("weights", null)))
                : ModelSource.random(modelShape(args.get("model", "demo"), work), 17);
        String loadBefore = Args.loadAverage();

        List<Phase> phases = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        try (Backend backend = Backends.open(backendName); LoadedModel model = ModelLoader.load(backend, source);
             ImageEncoder inProcess = model.encoder(maxBatch)) {
            List<byte[]> pngs = pngs(model.preprocessing().width(), model.preprocessing().channels());
            float[] batch = preprocessed(model, pngs, maxBatch);
            System.err.println("model " + model.describe() + " on " + backend.description());
            try (SearchServer server = start(source, backendName, maxBatch, maxWaitMs, work.resolve("on"))) {
                runClients(server, pngs, 16, phase); // warm-up: JIT, connections
                inProcess(inProcess, batch, maxBatch, phase);
                for (int r = 0; r < rounds; r++) {
                    Phase alone = inProcess(inProcess, batch, maxBatch, phase);
                    Phase served = runClients(server, pngs, 16, phase);
                    phases.add(alone);
                    phases.add(served);
                    ratios.add(served.perSecond() / alone.perSecond());
                }
                for (int clients : new int[] {1, 4}) {
                    phases.add(runClients(server, pngs, clients, phase));
                }
                phases.add(direct(server.embedder(), pngs, 16, phase));
            }
            try (SearchServer server = start(source, backendName, 1, 0, work.resolve("off"))) {
                runClients(server, pngs, 16, phase);
                for (int clients : CLIENTS) {
                    phases.add(runClients(server, pngs, clients, phase));
                }
            }
            report(model, backend, phases, ratios, maxBatch, maxWaitMs, loadBefore, Path.of(args.get("out",
                    "runs/bench")));
        }
    }

    private static String modelShape(String name, Path work) throws IOException {
        if (!name.equals("demo")) {
            return name;
        }
        return Files.writeString(work.resolve("demo-shape.json"), DEMO_SHAPE).toString();
    }

    private static SearchServer start(ModelSource source, String backend, int maxBatch, double maxWaitMs, Path index)
            throws IOException {
        return SearchServer.start(ImageEmbedder.builder().source(source).backend(backend).maxBatch(maxBatch)
                .maxWait(Duration.ofNanos(Math.round(maxWaitMs * 1e6))), index, ServeSettings.defaults().withPort(0));
    }

    /** {@code ImageEncoder.embed} on one preprocessed batch, back to back, for {@code length}. */
    private static Phase inProcess(ImageEncoder embedder, float[] batch, int size, Duration length) {
        long c0 = CpuClock.process(), t0 = System.nanoTime(), end = t0 + length.toNanos();
        long cpu0 = CpuClock.javaThreads();
        List<Long> times = new ArrayList<>();
        while (System.nanoTime() < end) {
            long s = System.nanoTime();
            embedder.embed(batch, size);
            times.add(System.nanoTime() - s);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        double cpu = (CpuClock.process() - c0) / 1e9;
        return new Phase("in-process VitEmbedder", 0, size, times.size() * size, seconds, cpu, 0,
                (CpuClock.javaThreads() - cpu0) / 1e9, percentile(sorted, 50), percentile(sorted, 99));
    }

    /**
     * {@code callers} threads calling the server's {@link ImageEmbedder#embed(byte[])} directly for {@code length}:
     * decoding, preprocessing and batching as the server does them, without HTTP.
     */
    private static Phase direct(ImageEmbedder embedder, List<byte[]> pngs, int callers, Duration length)
            throws InterruptedException {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long c0 = CpuClock.process(), t0 = System.nanoTime(), end = t0 + length.toNanos();
        long f0 = threadCpu(FORWARD_THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int id = c;
            threads.add(Thread.ofPlatform().name("caller-" + c).start(() -> {
                for (int n = 0; System.nanoTime() < end; n++) {
                    long s = System.nanoTime();
                    embedder.embed(pngs.get((id * 7 + n) % pngs.size()));
                    latencies.add(System.nanoTime() - s);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Phase("in-process ImageEmbedder.embed(byte[]), no HTTP", callers, embedder.maxBatch(),
                sorted.length, seconds, (CpuClock.process() - c0) / 1e9, 0, (threadCpu(FORWARD_THREADS) - f0) / 1e9,
                percentile(sorted, 50), percentile(sorted, 99));
    }

    /** {@code clients} threads posting to /v1/embed one request at a time for {@code length}. */
    private static Phase runClients(SearchServer server, List<byte[]> pngs, int clients, Duration length)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI embed = URI.create(server.url() + "/v1/embed");
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong clientThreadsCpu = new java.util.concurrent.atomic.AtomicLong();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = CpuClock.process(), t0 = System.nanoTime(), end = t0 + length.toNanos();
        long http0 = threadCpu(HTTP_CLIENT_THREADS), f0 = threadCpu(FORWARD_THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int n = 0; System.nanoTime() < end; n++) {
                    HttpRequest request = HttpRequest.newBuilder(embed).header("Content-Type", "image/png")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(pngs.get((id * 7 + n) % pngs.size())))
                            .build();
                    long s = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    } catch (InterruptedException e) {
                        break;
                    }
                    latencies.add(System.nanoTime() - s);
                }
                clientThreadsCpu.addAndGet(mx.getCurrentThreadCpuTime());
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " requests failed at " + clients + " clients");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double clientCpu = (clientThreadsCpu.get() + threadCpu(HTTP_CLIENT_THREADS) - http0) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Phase("server /v1/embed", clients, server.embedder().maxBatch(), sorted.length, seconds,
                (CpuClock.process() - c0) / 1e9, clientCpu, (threadCpu(FORWARD_THREADS) - f0) / 1e9,
                percentile(sorted, 50), percentile(sorted, 99));
    }

    private static double percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
    }

    /** 64 distinct PNGs of the model's input size (gray for a one-channel model). */
    private static List<byte[]> pngs(int size, int channels) throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            BufferedImage image = new BufferedImage(size, size, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                    : BufferedImage.TYPE_INT_RGB);
            int blockColour = random.nextInt(0x1000000);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean block = (x / Math.max(1, size / 4) + y / Math.max(1, size / 4) + i) % 3 == 0;
                    image.setRGB(x, y, block ? blockColour : random.nextInt(0x1000000));
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            out.add(png.toByteArray());
        }
        return out;
    }

    /** {@code size} of the PNGs decoded and preprocessed as the server does it, as one batch. */
    private static float[] preprocessed(LoadedModel model, List<byte[]> pngs, int size) {
        int floats = model.preprocessing().outputSize();
        float[] batch = new float[size * floats];
        for (int i = 0; i < size; i++) {
            model.preprocessing().apply(org.unicom4j.data.image.ImageDecoder.decode(pngs.get(i % pngs.size()),
                    "png " + i), null, batch, i * floats);
        }
        return batch;
    }

    private static void report(LoadedModel model, Backend backend, List<Phase> phases, List<Double> ratios,
                               int maxBatch, double maxWaitMs, String loadBefore, Path out) throws IOException {
        double[] r = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double medianRatio = r[r.length / 2];
        double batchMs = phases.stream().filter(p -> p.clients() == 0).mapToDouble(Phase::p50Ms).sorted()
                .toArray()[ratios.size() / 2];
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "model %s on %s; max batch %d, max wait %.1f ms; load average before %s,"
                + " after %s%n", model.describe(), backend.description(), maxBatch, maxWaitMs, loadBefore,
                Args.loadAverage()));
        s.append("| what | clients | max batch | images/s | p50 ms | p99 ms | CPU ms/image: all | forward "
                + "| serving (no clients) |\n");
        s.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Phase p : phases) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.2f | %.2f | %.3f | %.3f | %.3f |%n",
                    p.what(), p.clients() == 0 ? "-" : Integer.toString(p.clients()), p.maxBatch(), p.perSecond(),
                    p.p50Ms(), p.p99Ms(), p.cpuMsPerImage(), p.forwardCpuMsPerImage(),
                    p.clients() == 0 ? 0.0 : p.serverCpuMsPerImage()));
        }
        double p99 = phases.stream().filter(p -> p.clients() == 16 && p.maxBatch() == maxBatch
                        && p.what().startsWith("server"))
                .mapToDouble(Phase::p99Ms).sorted().toArray()[ratios.size() / 2];
        s.append(String.format(Locale.ROOT, "server at 16 clients / in-process, per round: %s; median %.3f%n",
                Arrays.toString(ratios.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toArray()),
                medianRatio));
        s.append(String.format(Locale.ROOT, "p99 at 16 clients %.2f ms = %.2f x the in-process batch time of %.2f ms%n",
                p99, p99 / batchMs, batchMs));
        System.out.print(s);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.describe());
        json.put("backend", backend.description());
        json.put("ratio_median", medianRatio);
        json.put("ratios", ratios);
        json.put("p99_over_batch_time", p99 / batchMs);
        json.put("table", s.toString());
        Files.createDirectories(out);
        String name = "serve-throughput-" + model.id().replaceAll("[^A-Za-z0-9.]+", "-") + ".json";
        Files.writeString(out.resolve(name), new com.fasterxml.jackson.databind.ObjectMapper()
                .writerWithDefaultPrettyPrinter().writeValueAsString(json));
        System.out.println("wrote " + out.resolve(name));
    }
}
