package org.unicom4j.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.unicom4j.data.InvalidInputException;

/**
 * Finds the four Fashion-MNIST IDX files: in a given folder, else where Debian's {@code dataset-fashion-mnist}
 * puts them, else in the user cache; with {@code download} fetches them from the official location.
 */
public final class FashionMnistFiles {
    /** Debian's package installs the gzipped IDX files here. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The dataset's official download location (github.com/zalandoresearch/fashion-mnist README). */
    public static final String OFFICIAL_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    private FashionMnistFiles() {
    }

    /** The folder holding all four files; throws InvalidInputException saying how to get them. */
    public static Path locate(Path requested, boolean download) throws IOException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "unicom4j", "fashion-mnist");
        for (Path dir : requested != null ? List.of(requested) : List.of(DEBIAN_DIR, cache)) {
            if (complete(dir)) {
                return dir;
            }
        }
        if (download) {
            Path target = requested != null ? requested : cache;
            fetch(target);
            return target;
        }
        throw new InvalidInputException("Fashion-MNIST not found in " + (requested != null ? requested
                : DEBIAN_DIR + " or " + cache) + ": install it with 'apt-get install dataset-fashion-mnist', or run"
                + " again with --download to fetch it from " + OFFICIAL_URL);
    }

    private static boolean complete(Path dir) {
        return FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    private static void fetch(Path dir) throws IOException {
        Files.createDirectories(dir);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        for (String name : FILES) {
            Path target = dir.resolve(name);
            if (Files.isRegularFile(target)) {
                continue;
            }
            System.err.println("downloading " + OFFICIAL_URL + name);
            Path partial = Files.createTempFile(dir, name, ".part");
            try {
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(OFFICIAL_URL + name))
                        .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    throw new IOException("download of " + OFFICIAL_URL + name + " failed: HTTP " + response.statusCode());
                }
                try (InputStream in = response.body()) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("download of " + name + " interrupted", e);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
    }
}
