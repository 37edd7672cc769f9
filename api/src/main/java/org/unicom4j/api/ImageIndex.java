package org.unicom4j.api;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.unicom4j.api.dataset.ItemImages;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.image.PixelImage;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.lucene.IndexEntry;
import org.unicom4j.retrieval.lucene.IndexHit;
import org.unicom4j.retrieval.lucene.PersistentVectorIndex;

/**
 * A persistent, searchable set of images: each an id (unique), an integer label and its embedding, in a folder on
 * disk (a Lucene HNSW index, the one {@code unicom4j index} builds and {@code unicom4j search} reads).
 *
 * <pre>{@code
 * try (ImageEmbedder embedder = ImageEmbedder.open(Path.of("runs/demo/unicom/model.safetensors"));
 *      ImageIndex index = ImageIndex.open(Path.of("my-index"), embedder)) {
 *     index.add("shoe-1", 7, Path.of("shoe.png"));        // durable when it returns
 *     for (SearchHit hit : index.search(Path.of("query.png"), 5)) {
 *         System.out.println(hit.id() + " " + hit.score());
 *     }
 * }
 * }</pre>
 *
 * <p><b>Durability.</b> {@link #add} and {@link #delete} return once the change is committed to disk: a process
 * killed after they return keeps it. Adds from several threads share commits (a group commit: whoever commits takes
 * every change made so far along), so concurrent writers do not each pay for a disk sync.
 *
 * <p><b>Concurrency.</b> Every method may be called from any thread. Searches, {@link #get}, {@link #contains},
 * {@link #size} and {@link #ids} run concurrently with each other and with a change or commit in progress, and see
 * every change that returned before they started; changes are applied one at a time. One process writes a folder at
 * a time (the index is locked while open); others may read its last commit with {@code unicom4j search}.
 *
 * <p>Images added from pixels keep a small PNG thumbnail in the index ({@link #thumbnail}); for entries without one
 * (added as vectors, or by {@code unicom4j index} from files) the thumbnail is made from the file the id names.
 * The index does not own the embedder: close both.
 */
public final class ImageIndex implements AutoCloseable {
    /** Longest side of the thumbnails stored with images added from pixels. */
    public static final int THUMBNAIL_SIZE = 128;

    private final Path dir;
    private final PersistentVectorIndex index;
    private final ImageEmbedder embedder;
    private final ItemImages files;
    /** Held while the index changes (add, delete, commit): Lucene's writer takes one change at a time from us. */
    private final ReentrantLock changing = new ReentrantLock();
    /** Held by the one thread committing for everyone (group commit). */
    private final ReentrantLock committing = new ReentrantLock();
    /** Changes applied so far; guarded by {@link #changing}. */
    private long applied;
    /** Changes known durable. */
    private volatile long durable;

    private ImageIndex(Path dir, PersistentVectorIndex index, ImageEmbedder embedder, long maxImagePixels) {
        this.dir = dir;
        this.index = index;
        this.embedder = embedder;
        this.files = new ItemImages(maxImagePixels);
    }

    /**
     * Opens the index in {@code dir} for images embedded by {@code embedder}, creating it (and the folder) when
     * absent. An index built with another model (by model id) or dim is refused, as is a folder another process
     * has open for writing: both are {@link InvalidInputException}s naming the folder.
     */
    public static ImageIndex open(Path dir, ImageEmbedder embedder) {
        return new ImageIndex(dir, PersistentVectorIndex.openOrCreate(dir, embedder.dim(), embedder.modelId(), false,
                Integer.MAX_VALUE), embedder, embedder.maxImagePixels());
    }

    /**
     * Opens or creates an index of vectors only: embeddings of dim {@code dim} made elsewhere by the model
     * {@code modelId}. The methods taking images refuse with an {@link IllegalStateException}.
     */
    public static ImageIndex openVectors(Path dir, int dim, String modelId) {
        return new ImageIndex(dir, PersistentVectorIndex.openOrCreate(dir, dim, modelId, false, Integer.MAX_VALUE),
                null, ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    /** The index's folder. */
    public Path directory() {
        return dir;
    }

    /** The model whose embeddings the index holds. */
    public String modelId() {
        return index.meta().modelId();
    }

    /** Floats per embedding. */
    public int dim() {
        return index.meta().dim();
    }

    /** Images in the index. */
    public int size() {
        return index.size();
    }

    /** Whether an image with this id is in the index. */
    public boolean contains(String id) {
        return index.contains(id);
    }

    /** Up to {@code limit} ids in sorted order from the {@code offset}-th: pages through the index. */
    public List<String> ids(int offset, int limit) {
        return index.paths(offset, limit);
    }

    /** The id's label and stored thumbnail; empty when the id is not in the index. */
    public Optional<IndexEntry> get(String id) {
        return index.get(id);
    }

    /** Decodes {@code image} (pixel limit applied), embeds it and adds it with a thumbnail; durable on return. */
    public void add(String id, int label, Path image) throws IOException {
        add(id, label, ImageDecoder.decode(image, embedder().maxImagePixels()));
    }

    /** Decodes an encoded image (pixel limit applied), embeds it and adds it with a thumbnail; durable on return. */
    public void add(String id, int label, byte[] encoded) {
        add(id, label, embedder().decode(encoded, id));
    }

    /** Embeds {@code image} and adds it with a thumbnail; durable on return. */
    public void add(String id, int label, BufferedImage image) {
        add(id, label, ImageDecoder.toPixels(image));
    }

    /** Embeds {@code image} and adds it with a thumbnail; durable on return. */
    public void add(String id, int label, PixelImage image) {
        requireNew(id);
        float[] embedding = embedder().embed(image);
        add(id, label, embedding, Thumbnails.pngAtMost(image, THUMBNAIL_SIZE));
    }

    /**
     * Embeds the images together (they share forward passes) and adds them with thumbnails in one commit: the way
     * to load many images, all durable on return. Nothing is added when an id is empty, repeated or already present.
     */
    public void addAll(List<LabeledImage> images) {
        List<CompletableFuture<float[]>> pending = new ArrayList<>(images.size());
        for (LabeledImage image : images) {
            pending.add(embedder().embedAsync(image.image()));
        }
        List<float[]> units = new ArrayList<>(images.size());
        List<byte[]> thumbnails = new ArrayList<>(images.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < images.size(); i++) {
            LabeledImage image = images.get(i);
            requireId(image.id());
            if (!ids.add(image.id())) {
                throw new InvalidInputException("index " + dir + ": id '" + image.id() + "' is given twice");
            }
            units.add(unit(ImageEmbedder.await(pending.get(i)), "add " + image.id()));
            thumbnails.add(Thumbnails.pngAtMost(image.image(), THUMBNAIL_SIZE));
        }
        long change;
        changing.lock();
        try {
            for (String id : ids) {
                requireNew(id);
            }
            for (int i = 0; i < images.size(); i++) {
                index.add(images.get(i).id(), images.get(i).label(), units.get(i), thumbnails.get(i));
            }
            applied += images.size();
            change = applied;
        } finally {
            changing.unlock();
        }
        awaitDurable(change);
    }

    /**
     * Adds an embedding made elsewhere (L2-normalised here) with an optional PNG thumbnail; durable on return.
     *
     * @throws InvalidInputException when the id is already present (delete it first) or the vector has another dim
     */
    public void add(String id, int label, float[] embedding, byte[] thumbnailPng) {
        requireId(id);
        float[] unit = unit(embedding, "add " + id);
        long change;
        changing.lock();
        try {
            requireNew(id);
            index.add(id, label, unit, thumbnailPng);
            change = ++applied;
        } finally {
            changing.unlock();
        }
        awaitDurable(change);
    }

    /** Removes the image with this id; false when there was none. Durable on return. */
    public boolean delete(String id) {
        long change;
        changing.lock();
        try {
            if (!index.delete(id)) {
                return false;
            }
            change = ++applied;
        } finally {
            changing.unlock();
        }
        awaitDurable(change);
        return true;
    }

    /** The {@code min(k, size())} images nearest to {@code vector} (L2-normalised here) by cosine, best first. */
    public List<SearchHit> search(float[] vector, int k) {
        if (k < 1) {
            throw new InvalidInputException("search for k = " + k + " images; expected k >= 1");
        }
        // HNSW explores at least 100 candidates so that small k still finds the true nearest.
        List<IndexHit> hits = index.search(unit(vector, "search"), k, Math.max(k, 100));
        List<SearchHit> out = new ArrayList<>(hits.size());
        for (IndexHit h : hits) {
            out.add(new SearchHit(h.path(), h.label(), h.score()));
        }
        return out;
    }

    /** Decodes and embeds {@code image}, then searches with its embedding. */
    public List<SearchHit> search(Path image, int k) throws IOException {
        return search(embedder().embed(image), k);
    }

    /** Decodes and embeds an encoded image, then searches with its embedding. */
    public List<SearchHit> search(byte[] encoded, int k) {
        return search(embedder().embed(encoded), k);
    }

    /** Embeds {@code image}, then searches with its embedding. */
    public List<SearchHit> search(BufferedImage image, int k) {
        return search(embedder().embed(image), k);
    }

    /**
     * A PNG picture of the image with this id: the thumbnail stored when it was added, else one made from the file
     * (or IDX item) the id names; empty when the id is not in the index or its file cannot be read as an image.
     */
    public Optional<byte[]> thumbnail(String id) {
        Optional<IndexEntry> entry = get(id);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        if (entry.get().picture() != null) {
            return Optional.of(entry.get().picture());
        }
        try {
            return Optional.of(Thumbnails.pngAtMost(files.load(id), THUMBNAIL_SIZE));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // the file has moved or is not an image: nothing to show
        }
    }

    /** Commits what is pending (nothing, as every change commits) and closes the index. */
    @Override
    public void close() {
        committing.lock();
        changing.lock();
        try {
            index.close();
        } finally {
            changing.unlock();
            committing.unlock();
        }
    }

    /**
     * Returns once change number {@code change} is on disk. The first waiter commits every change applied so far;
     * the others find their change in that commit and return without one of their own.
     */
    private void awaitDurable(long change) {
        committing.lock();
        try {
            if (durable >= change) {
                return;
            }
            long upTo;
            changing.lock();
            try {
                upTo = applied;
                index.commit();
            } finally {
                changing.unlock();
            }
            durable = upTo;
        } finally {
            committing.unlock();
        }
    }

    private static void requireId(String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidInputException("an image id must not be empty");
        }
    }

    private void requireNew(String id) {
        if (index.contains(id)) {
            throw new InvalidInputException("index " + dir + ": id '" + id + "' is already present; delete it first "
                    + "to replace it");
        }
    }

    private float[] unit(float[] vector, String op) {
        if (vector.length != dim()) {
            throw new InvalidInputException("index " + dir + ": " + op + " with a vector of dim " + vector.length
                    + "; the index holds dim " + dim() + " (model '" + modelId() + "')");
        }
        for (float x : vector) {
            if (!Float.isFinite(x)) {
                throw new InvalidInputException("index " + dir + ": " + op + " with a vector holding " + x);
            }
        }
        if (L2Norm.of(vector, 0, vector.length) <= L2Norm.EPS) {
            throw new InvalidInputException("index " + dir + ": " + op + " with a zero vector");
        }
        float[] out = vector.clone();
        L2Norm.normalizeRows(out, 1, out.length);
        return out;
    }

    private ImageEmbedder embedder() {
        if (embedder == null) {
            throw new IllegalStateException("index " + dir + " was opened for vectors only: give an ImageEmbedder "
                    + "to add or search images");
        }
        return embedder;
    }
}
