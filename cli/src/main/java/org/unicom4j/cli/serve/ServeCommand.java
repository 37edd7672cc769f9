package org.unicom4j.cli.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.unicom4j.api.ImageEmbedder;
import org.unicom4j.cli.options.BackendOption;
import org.unicom4j.cli.options.ModelOptions;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.serve.SearchServer;
import org.unicom4j.serve.ServeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code unicom4j serve}: the search service and its page, until stopped (Ctrl-C, SIGTERM). */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve image search over HTTP: a web page at / and the API under /v1 (embed, search, add, "
                + "delete, thumbnails), /health, /metrics (Prometheus) and /openapi.json.",
                "The index is created on first use for the model, or must have been built with it (model id). "
                        + "Requests arriving together share one forward pass (--batch, --max-wait-ms). Listens on "
                        + "127.0.0.1 unless told otherwise; beyond loopback, adding and deleting need --api-key."})
public final class ServeCommand implements Callable<Integer> {
    /** Held so that the configured loggers are not collected and their levels forgotten. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("org.apache.lucene"),
            Logger.getLogger("io.helidon"));

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "index folder (created if new)")
    Path index;

    @Mixin
    ModelOptions model;

    @Option(names = "--max-wait-ms", defaultValue = "10", paramLabel = "MS",
            description = "longest a forward pass waits, after its oldest image arrived, for images other requests "
                    + "are still decoding (it never waits when none are); --batch 1 turns batching off "
                    + "(default: ${DEFAULT-VALUE})")
    double maxWaitMs;

    @Option(names = "--host", defaultValue = ServeSettings.DEFAULT_HOST, paramLabel = "ADDRESS",
            description = "address to listen on (default: ${DEFAULT-VALUE}); any other than loopback needs --api-key")
    String host;

    @Option(names = "--port", defaultValue = "" + ServeSettings.DEFAULT_PORT, paramLabel = "N",
            description = "port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "key that adding and deleting images need (Authorization: Bearer KEY or X-API-Key: KEY), at "
                    + "least 16 characters; default: the UNICOM4J_API_KEY environment variable, else none")
    String apiKey;

    @Option(names = "--max-body-bytes", defaultValue = "" + ServeSettings.DEFAULT_MAX_BODY_BYTES, paramLabel = "N",
            description = "largest request body (default: ${DEFAULT-VALUE})")
    long maxBodyBytes;

    @Option(names = "--max-image-pixels", defaultValue = "" + ImageDecoder.DEFAULT_MAX_PIXELS, paramLabel = "N",
            description = "refuse an image whose header declares more pixels, before decoding it "
                    + "(default: ${DEFAULT-VALUE})")
    long maxImagePixels;

    @Option(names = "--max-k", defaultValue = "" + ServeSettings.DEFAULT_MAX_K, paramLabel = "K",
            description = "most hits one search may ask for (default: ${DEFAULT-VALUE})")
    int maxK;

    @Option(names = "--request-timeout-ms", defaultValue = "30000", paramLabel = "MS",
            description = "longest a request waits for its forward pass before a 503 (default: ${DEFAULT-VALUE})")
    long requestTimeoutMs;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN",
            description = "a web origin (https://app.example) allowed to call the API from its pages; default: none")
    String corsOrigin;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        QUIET.forEach(l -> l.setLevel(Level.WARNING)); // Lucene's and Helidon's start-up notes; our one line says it
        if (maxWaitMs < 0) {
            throw new InvalidInputException("--max-wait-ms must be >= 0, got " + maxWaitMs);
        }
        String key = apiKey != null ? apiKey : System.getenv("UNICOM4J_API_KEY");
        ServeSettings settings = new ServeSettings(host, port, key, maxBodyBytes, maxK,
                Duration.ofMillis(requestTimeoutMs), corsOrigin);
        ImageEmbedder.Builder embedder = ImageEmbedder.builder().source(model.source()).backend(backend.name())
                .maxBatch(model.batch()).maxWait(Duration.ofNanos(Math.round(maxWaitMs * 1e6)))
                .maxImagePixels(maxImagePixels);
        SearchServer server = SearchServer.start(embedder, index, settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close(); // commits nothing new: every add was committed before it was answered
            stopped.countDown();
        }, "unicom4j-serve-stop"));
        System.out.println("unicom4j serve: " + server.url() + "/ (" + server.embedder().description() + "; index "
                + index + " holds " + server.index().size() + " images; batch up to " + model.batch() + ", wait up "
                + "to " + maxWaitMs + " ms" + (key == null ? "" : "; writes need the API key") + "). Ctrl-C stops.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
