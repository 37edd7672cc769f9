package org.unicom4j.serve;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.unicom4j.data.InvalidInputException;

/**
 * How the service listens and what it allows. The defaults are the safe ones: loopback only, no CORS, writes open
 * only on loopback (beyond it an API key is required), bodies up to 16 MiB, k up to 100, 30 s per request.
 *
 * @param host           address to bind ({@code 127.0.0.1} by default)
 * @param port           port (0: any free one)
 * @param apiKey         the key writes must carry ({@code Authorization: Bearer KEY} or {@code X-API-Key: KEY}),
 *                       or null for none (allowed on loopback only)
 * @param maxBodyBytes   the largest request body accepted
 * @param maxK           the most hits one search may ask for
 * @param requestTimeout the longest a request may wait for its forward pass
 * @param corsOrigin     the one web origin allowed to call the API from a browser, or null (CORS off)
 */
public record ServeSettings(String host, int port, String apiKey, long maxBodyBytes, int maxK,
                            Duration requestTimeout, String corsOrigin) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 16L << 20;
    public static final int DEFAULT_MAX_K = 100;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** Checks every value; one line naming the option for each problem. */
    public ServeSettings {
        if (port < 0 || port > 65535) {
            throw new InvalidInputException("--port " + port + ": expected 0 .. 65535");
        }
        if (maxBodyBytes < 1 || maxK < 1 || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new InvalidInputException("--max-body-bytes " + maxBodyBytes + ", --max-k " + maxK
                    + ", --request-timeout " + requestTimeout + ": each must be positive");
        }
        if (apiKey != null && apiKey.length() < 16) {
            throw new InvalidInputException("--api-key must be at least 16 characters");
        }
        if (apiKey == null && !isLoopback(host)) {
            throw new InvalidInputException("--host " + host + " listens beyond loopback: give --api-key (or the "
                    + "UNICOM4J_API_KEY environment variable) so that only key holders can add and delete images");
        }
    }

    /** The defaults: loopback, port 8080. */
    public static ServeSettings defaults() {
        return new ServeSettings(DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_K,
                DEFAULT_REQUEST_TIMEOUT, null);
    }

    /** These settings on another port. */
    public ServeSettings withPort(int newPort) {
        return new ServeSettings(host, newPort, apiKey, maxBodyBytes, maxK, requestTimeout, corsOrigin);
    }

    /** These settings with another API key. */
    public ServeSettings withApiKey(String key) {
        return new ServeSettings(host, port, key, maxBodyBytes, maxK, requestTimeout, corsOrigin);
    }

    static boolean isLoopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new InvalidInputException("--host " + host + ": unknown host");
        }
    }
}
