package org.unicom4j.serve;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.unicom4j.api.ImageEmbedder;
import org.unicom4j.api.ImageIndex;
import org.unicom4j.data.InvalidInputException;

/**
 * {@code unicom4j serve}: the HTTP service over one {@link ImageEmbedder} and one {@link ImageIndex}, on Helidon SE's
 * WebServer (each request on its own virtual thread), with the web page at {@code /}.
 *
 * <p>Routes: {@code POST /v1/embed}, {@code POST /v1/search?k=}, {@code POST /v1/images?id=&label=},
 * {@code GET /v1/images?offset=&limit=}, {@code DELETE /v1/images/{id}}, {@code GET /v1/images/{id}/thumbnail},
 * {@code GET /health}, {@code GET /metrics} (Prometheus), {@code GET /openapi.json}, and the page's assets. Requests
 * that arrive together share forward passes (the embedder's max batch and max wait). Every refusal is a 4xx with
 * {@code {"error": "<one line>"}}; writes need the API key when one is set, which {@link ServeSettings} requires
 * beyond loopback.
 */
public final class SearchServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SearchServer.class.getName());

    private final ServeSettings settings;
    private final ServerMetrics metrics;
    private final ImageEmbedder embedder;
    private final ImageIndex index;
    private final ApiHandlers api;
    private final WebAssets assets;
    private final WebServer server;

    private SearchServer(ServeSettings settings, ServerMetrics metrics, ImageEmbedder embedder, ImageIndex index) {
        this.settings = settings;
        this.metrics = metrics;
        this.embedder = embedder;
        this.index = index;
        this.api = new ApiHandlers(embedder, index, settings);
        this.assets = WebAssets.load();
        metrics.gauges(embedder::queueDepth, index::size);
        this.server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .maxPayloadSize(-1) // the limit is ours (RequestBodies), so that its refusal is JSON like the rest
                .maxConcurrentRequests(1024)
                .shutdownHook(false)
                .routing(this::routes)
                .build()
                .start();
        if (!server.isRunning()) { // Helidon logs why and returns a server that is not running
            throw new InvalidInputException("cannot listen on " + settings.host() + ":" + settings.port());
        }
    }

    /**
     * Loads the model (counting its forward passes into the metrics), opens or creates the index in {@code indexDir}
     * for it, and starts listening.
     */
    public static SearchServer start(ImageEmbedder.Builder model, Path indexDir, ServeSettings settings)
            throws IOException {
        requireFreePort(settings);
        ServerMetrics metrics = new ServerMetrics();
        ImageEmbedder embedder = model.onBatch(metrics).build();
        ImageIndex index = null;
        try {
            index = ImageIndex.open(indexDir, embedder);
            return new SearchServer(settings, metrics, embedder, index);
        } catch (RuntimeException e) {
            if (index != null) {
                index.close();
            }
            embedder.close();
            throw e;
        }
    }

    /** Fails fast, before the model loads, when the address cannot be bound (in use, or not this machine's). */
    private static void requireFreePort(ServeSettings settings) {
        if (settings.port() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(settings.host(), settings.port()));
        } catch (IOException e) {
            throw new InvalidInputException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage());
        }
    }

    /** The port listened on (the one chosen when the settings said 0). */
    public int port() {
        return server.port();
    }

    /** {@code http://host:port}. */
    public String url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + port();
    }

    public ImageEmbedder embedder() {
        return embedder;
    }

    public ImageIndex index() {
        return index;
    }

    /** Stops listening (requests in progress finish), then closes the index and the model. */
    @Override
    public void close() {
        server.stop();
        index.close();
        embedder.close();
    }

    private void routes(HttpRouting.Builder r) {
        r.get("/", guarded("GET /", false, (req, res) -> assets.send(res, "index.html")))
                .get("/assets/{name}", guarded("GET /assets", false,
                        (req, res) -> assets.send(res, req.path().pathParameters().get("name"))))
                .get("/openapi.json", guarded("GET /openapi.json", false,
                        (req, res) -> assets.send(res, "openapi.json")))
                .get("/health", guarded("GET /health", false, api::health))
                .get("/metrics", guarded("GET /metrics", false, (req, res) -> {
                    res.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    res.status(200).send(metrics.render().getBytes(StandardCharsets.UTF_8));
                }))
                .post("/v1/embed", guarded("POST /v1/embed", false, api::embed))
                .post("/v1/search", guarded("POST /v1/search", false, api::search))
                .post("/v1/images", guarded("POST /v1/images", true, api::add))
                .get("/v1/images", guarded("GET /v1/images", false, api::list))
                .get("/v1/images/{+id}/thumbnail", guarded("GET /v1/images/{id}/thumbnail", false, api::thumbnail))
                .delete("/v1/images/{+id}", guarded("DELETE /v1/images/{id}", true, api::delete));
        if (settings.corsOrigin() != null) {
            r.options("/v1/*", guarded("OPTIONS /v1", false, (req, res) -> {
                res.header("Access-Control-Allow-Methods", "GET, POST, DELETE");
                res.header("Access-Control-Allow-Headers", "Content-Type, Authorization, X-API-Key");
                res.header("Access-Control-Max-Age", "600");
                res.status(204).send();
            }));
        }
        r.any(guarded("unmatched", false, (req, res) -> {
            throw new ApiException(404, "no such route: " + req.prologue().method().text() + " "
                    + req.path().path());
        }));
    }

    /**
     * The one wrapper of every route: headers every response carries, the API key for writes, the declared body
     * length, the JSON error of a refusal, and the request's count and latency in the metrics.
     */
    private Handler guarded(String route, boolean write, Handler handler) {
        return (req, res) -> {
            long start = System.nanoTime();
            try {
                res.header("X-Content-Type-Options", "nosniff");
                res.header("Referrer-Policy", "no-referrer");
                allowOrigin(req, res);
                if (write) {
                    requireKey(req);
                }
                RequestBodies.checkDeclaredLength(req, settings.maxBodyBytes());
                handler.handle(req, res);
            } catch (ApiException e) {
                refuse(res, e.status(), e.getMessage());
            } catch (InvalidInputException | IllegalArgumentException e) {
                refuse(res, 400, e.getMessage());
            } catch (Exception e) {
                LOG.log(Level.SEVERE, route + " failed", e);
                refuse(res, 500, "internal error: " + e);
            } finally {
                metrics.request(route, res.status().code(), System.nanoTime() - start);
            }
        };
    }

    private static void refuse(ServerResponse res, int status, String message) {
        if (!res.isSent()) {
            Responses.error(res, status, message);
        }
    }

    private void allowOrigin(ServerRequest req, ServerResponse res) {
        Optional<String> origin = req.headers().first(io.helidon.http.HeaderNames.ORIGIN);
        if (settings.corsOrigin() != null && origin.isPresent() && origin.get().equals(settings.corsOrigin())) {
            res.header("Access-Control-Allow-Origin", settings.corsOrigin());
            res.header("Vary", "Origin");
        }
    }

    private void requireKey(ServerRequest req) {
        if (settings.apiKey() == null) {
            return;
        }
        String given = req.headers().first(io.helidon.http.HeaderNames.create("X-API-Key"))
                .or(() -> req.headers().first(io.helidon.http.HeaderNames.AUTHORIZATION)
                        .filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7)).map(a -> a.substring(7).strip()))
                .orElse("");
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                settings.apiKey().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "adding and deleting images needs the API key: send Authorization: Bearer "
                    + "KEY or X-API-Key: KEY");
        }
    }
}
