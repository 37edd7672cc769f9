package org.unicom4j.api;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.api.model.ModelLoader;
import org.unicom4j.api.model.ModelSource;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.image.InvalidImageException;
import org.unicom4j.data.image.PixelImage;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import org.unicom4j.model.ImageEncoder;

/**
 * Turns images into embeddings with one model, from any number of threads at once.
 *
 * <pre>{@code
 * try (ImageEmbedder embedder = ImageEmbedder.open(Path.of("runs/demo/unicom/model.safetensors"))) {
 *     float[] a = embedder.embed(Path.of("shoe.png"));
 *     float[] b = embedder.embed(Files.readAllBytes(Path.of("boot.jpg")));
 *     double cosine = 0;
 *     for (int i = 0; i < a.length; i++) cosine += a[i] * b[i];
 * }
 * }</pre>
 *
 * <p>Each call decodes its image in the calling thread (refusing from the header, before decoding, an image of more
 * than {@link Builder#maxImagePixels} pixels) and preprocesses it as the model expects; one worker thread runs the
 * forward passes. Calls that arrive together share a pass: the worker takes up to {@link Builder#maxBatch} queued
 * images, and while other calls are still decoding theirs it waits for them, at most {@link Builder#maxWait} after
 * the oldest (a lone call waits for nobody). Embeddings are L2-normalised (so the dot product of two is their
 * cosine) unless {@link Builder#normalize} says otherwise.
 *
 * <p>Bad input (a file that is not an image, a truncated one, one over the pixel limit) is an
 * {@link InvalidImageException} with a one-line message naming it. {@link #close()} finishes the images already
 * queued, then frees the model; calls after it fail with an {@link IllegalStateException}.
 */
public final class ImageEmbedder implements AutoCloseable {
    private final Backend backend;
    private final LoadedModel model;
    private final ImageEncoder encoder;
    private final EmbeddingBatcher batcher;
    private final long maxImagePixels;
    private final Duration maxWait;
    private boolean closed;

    private ImageEmbedder(Builder b) throws IOException {
        try {
            this.backend = Backends.open(b.backend);
        } catch (IllegalArgumentException e) { // Backends.open's one argument check: the name
            throw new InvalidInputException("backend " + b.backend + ": " + e.getMessage(), e);
        }
        LoadedModel loaded = null;
        try {
            loaded = ModelLoader.load(backend, b.source);
            this.encoder = loaded.encoder(b.maxBatch);
        } catch (IOException | RuntimeException e) {
            if (loaded != null) {
                loaded.close();
            }
            backend.close();
            throw e;
        }
        this.model = loaded;
        this.maxImagePixels = b.maxImagePixels;
        this.maxWait = b.maxWait;
        this.batcher = new EmbeddingBatcher(encoder, model.preprocessing().outputSize(), model.dim(),
                b.maxWait.toNanos(), b.normalize, BatchObserver.all(b.observers));
    }

    /** The model in {@code weights} (a released {@code .pt} or a safetensors file) with the default settings. */
    public static ImageEmbedder open(Path weights) throws IOException {
        return builder().weights(weights).build();
    }

    /** Settings for a new embedder; {@link Builder#weights} or {@link Builder#randomWeights} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The id an index records with embeddings of this model: weights file name and size unless given. */
    public String modelId() {
        return model.id();
    }

    /** Floats per embedding. */
    public int dim() {
        return model.dim();
    }

    /** The model's id and shape and the backend it runs on, in one line. */
    public String description() {
        return model.describe() + " on " + backend.description();
    }

    /** Most images in one forward pass. */
    public int maxBatch() {
        return encoder.maxBatch();
    }

    /** Longest wait for more images after the oldest queued one. */
    public Duration maxWait() {
        return maxWait;
    }

    /** The pixel limit (width x height) applied to every image before it is decoded. */
    public long maxImagePixels() {
        return maxImagePixels;
    }

    /** Images queued for a forward pass now (not counting the pass running). */
    public int queueDepth() {
        return batcher.queueDepth();
    }

    /** Decodes {@code file} (pixel limit applied) and embeds it. */
    public float[] embed(Path file) throws IOException {
        return await(prepare(() -> ImageDecoder.decode(file, maxImagePixels)));
    }

    /** Decodes an encoded image (PNG, JPEG, BMP, GIF; pixel limit applied) and embeds it. */
    public float[] embed(byte[] encoded) {
        return await(embedAsync(encoded, "image of " + encoded.length + " bytes"));
    }

    /** Embeds an image already decoded by the application (pixel limit applied). */
    public float[] embed(BufferedImage image) {
        return await(prepare(() -> {
            checkPixels(image.getWidth(), image.getHeight(), "image");
            return ImageDecoder.toPixels(image);
        }));
    }

    /** Embeds 8-bit pixels (pixel limit applied). */
    public float[] embed(PixelImage image) {
        return await(embedAsync(image));
    }

    /**
     * Preprocesses {@code image} in this thread and queues it; the future completes with its embedding after the
     * forward pass it joins. Cancelling the future (or completing it) before its pass leaves it out of the pass.
     */
    public CompletableFuture<float[]> embedAsync(PixelImage image) {
        return prepare(() -> image);
    }

    /**
     * Decodes (pixel limit applied, {@code name} naming the image in errors) and preprocesses an encoded image in
     * this thread and queues it, as {@link #embedAsync(PixelImage)}; a pass waits for callers still decoding.
     */
    public CompletableFuture<float[]> embedAsync(byte[] encoded, String name) {
        return prepare(() -> decode(encoded, name));
    }

    /** Embeds several files, queued together so that they share forward passes; embeddings in the given order. */
    public List<float[]> embedAll(List<Path> files) throws IOException {
        List<float[]> inputs = new ArrayList<>(files.size());
        for (Path file : files) {
            PixelImage image = ImageDecoder.decode(file, maxImagePixels);
            checkPixels(image.width(), image.height(), file.toString());
            inputs.add(preprocess(image));
        }
        List<float[]> out = new ArrayList<>(files.size());
        for (CompletableFuture<float[]> f : batcher.submitAll(inputs)) {
            out.add(await(f));
        }
        return out;
    }

    /** Decodes an encoded image as {@link #embed(byte[])} would, {@code name} naming it in errors. */
    public PixelImage decode(byte[] encoded, String name) {
        return ImageDecoder.decode(encoded, name, maxImagePixels);
    }

    /** Where a caller's image comes from: a decoder, or the image itself. */
    @FunctionalInterface
    private interface ImageInput<E extends Exception> {
        PixelImage get() throws E;
    }

    /**
     * Gets, checks and preprocesses the image in this thread, counted as preparing (a pass in the making waits for
     * it), then queues it.
     */
    private <E extends Exception> CompletableFuture<float[]> prepare(ImageInput<E> input) throws E {
        AtomicInteger preparing = batcher.preparing();
        preparing.incrementAndGet();
        try {
            PixelImage image = input.get();
            checkPixels(image.width(), image.height(), "image");
            return batcher.submit(preprocess(image));
        } finally {
            preparing.decrementAndGet();
        }
    }

    private float[] preprocess(PixelImage image) {
        float[] pixels = new float[model.preprocessing().outputSize()];
        model.preprocessing().apply(image, null, pixels, 0); // inference preprocessing draws nothing at random
        return pixels;
    }

    private void checkPixels(int width, int height, String name) {
        long pixels = (long) width * height;
        if (pixels > maxImagePixels) {
            throw new InvalidImageException(name, String.format(Locale.ROOT, "%d x %d = %,d pixels, more than the "
                    + "limit of %,d", width, height, pixels, maxImagePixels));
        }
    }

    /** The future's value; its failure rethrown as it was thrown on the worker. */
    static float[] await(CompletableFuture<float[]> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Embeds what is queued, then frees the model and its backend; a second close does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        batcher.close();
        encoder.close();
        model.close();
        backend.close();
    }

    /** How to open an {@link ImageEmbedder}. */
    public static final class Builder {
        private ModelSource source;
        private String shape;
        private String modelId;
        private String backend = "auto";
        private int maxBatch = 32;
        private Duration maxWait = Duration.ofMillis(10);
        private long maxImagePixels = ImageDecoder.DEFAULT_MAX_PIXELS;
        private boolean normalize = true;
        private final List<BatchObserver> observers = new ArrayList<>();

        private Builder() {
        }

        /**
         * The model's weights: a released Unicom {@code .pt} or a safetensors file; the shape is read off the file
         * (the {@code vit_config} the trainer saves, else the tensor shapes) unless {@link #shape} names it.
         */
        public Builder weights(Path weights) {
            this.source = ModelSource.weights(weights);
            return this;
        }

        /**
         * No weights file: the preset {@code shape} ({@code ViT-B/32}, {@code ViT-B/16}, {@code ViT-L/14},
         * {@code ViT-L/14@336px}, {@code tiny}, {@code small}) or a VitConfig JSON file, initialised from scratch with
         * {@code seed}. The embeddings mean little; for baselines and tests.
         */
        public Builder randomWeights(String shape, long seed) {
            this.source = ModelSource.random(shape, seed);
            return this;
        }

        /** The model to open, said in one value (what the command line's model options make). */
        public Builder source(ModelSource model) {
            this.source = model;
            return this;
        }

        /** The model's shape (a preset or a VitConfig JSON file) instead of reading it off the weights. */
        public Builder shape(String shape) {
            this.shape = shape;
            return this;
        }

        /** The model id recorded by an index (default: weights file name and size, or seed and shape). */
        public Builder modelId(String id) {
            this.modelId = id;
            return this;
        }

        /** {@code cpu}, {@code opencl}, {@code reference} or {@code auto} (default: an OpenCL GPU if any, else cpu). */
        public Builder backend(String name) {
            this.backend = name;
            return this;
        }

        /** Most images in one forward pass (default 32); 1 turns batching off. */
        public Builder maxBatch(int images) {
            if (images < 1) {
                throw new InvalidInputException("max batch must be >= 1, got " + images);
            }
            this.maxBatch = images;
            return this;
        }

        /**
         * Longest wait, after the oldest queued image, for images other calls are still decoding (default 10 ms); a
         * pass never waits when nobody is decoding. Zero takes what is queued.
         */
        public Builder maxWait(Duration wait) {
            if (wait.isNegative()) {
                throw new InvalidInputException("max wait must not be negative, got " + wait);
            }
            this.maxWait = wait;
            return this;
        }

        /** Refuse, before decoding, images of more pixels than this (default: Pillow's 89,478,485). */
        public Builder maxImagePixels(long pixels) {
            if (pixels < 1) {
                throw new InvalidInputException("max image pixels must be >= 1, got " + pixels);
            }
            this.maxImagePixels = pixels;
            return this;
        }

        /** Whether embeddings are L2-normalised (default true); false gives the model's raw outputs. */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /** Adds an observer that hears of every forward pass (on the worker thread). */
        public Builder onBatch(BatchObserver observer) {
            this.observers.add(observer);
            return this;
        }

        /** Opens the backend and loads the model. */
        public ImageEmbedder build() throws IOException {
            if (source == null) {
                throw new InvalidInputException("no model: give weights(file) or randomWeights(shape, seed)");
            }
            if (shape != null) {
                source = source.withShape(shape);
            }
            if (modelId != null) {
                source = source.withId(modelId);
            }
            return new ImageEmbedder(this);
        }
    }
}
