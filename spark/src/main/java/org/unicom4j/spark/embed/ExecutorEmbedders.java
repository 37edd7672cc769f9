package org.unicom4j.spark.embed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.unicom4j.api.ImageEmbedder;

/**
 * One {@link ImageEmbedder} per executor JVM and settings, opened by the first task that needs it and shared by the
 * tasks running at once (it is thread-safe, and batches their images into common forward passes), closed when the
 * JVM exits. Loading a model takes seconds and its weights hundreds of megabytes, so once per JVM, not per task.
 */
final class ExecutorEmbedders {
    private static final Map<EmbedSettings, ImageEmbedder> OPEN = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.values().forEach(ImageEmbedder::close),
                "unicom4j-embedders-close"));
    }

    private ExecutorEmbedders() {
    }

    static ImageEmbedder get(EmbedSettings settings) {
        return OPEN.computeIfAbsent(settings, ExecutorEmbedders::open);
    }

    private static ImageEmbedder open(EmbedSettings s) {
        ModelSpec m = s.model();
        ImageEmbedder.Builder b = ImageEmbedder.builder().backend(s.backend()).maxBatch(s.batch())
                .maxImagePixels(s.maxImagePixels()).normalize(false).maxWait(Duration.ofMillis(2));
        b = m.weights() != null ? b.weights(java.nio.file.Path.of(m.weights())) : b.randomWeights(m.shape(),
                m.randomSeed());
        if (m.weights() != null && m.shape() != null) {
            b = b.shape(m.shape());
        }
        if (m.id() != null) {
            b = b.modelId(m.id());
        }
        try {
            return b.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
