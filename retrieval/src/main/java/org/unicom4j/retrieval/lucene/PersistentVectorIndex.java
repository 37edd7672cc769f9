package org.unicom4j.retrieval.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.unicom4j.data.InvalidInputException;

/**
 * An on-disk image index: one Lucene document per image with its path (unique id), label and L2-normalised
 * embedding, searched by inner product through Lucene's HNSW graph.
 *
 * <p>Each document may also store a small encoded picture of its image ({@link #add(String, int, float[], byte[])},
 * read back by {@link #get}), so that a service can show what it holds without the original file.
 *
 * <p>Durability is Lucene's commit: the writer commits every {@code commitEvery} changes (adds and deletes),
 * on {@link #commit()} and on {@link #close()}. A process that dies between commits leaves the last committed
 * state readable; {@link #rollback()} is that crash without the dying. The paths present are loaded once when
 * the index opens, so {@link #contains} and {@link #size} are exact, uncommitted changes included, and a re-run
 * can skip what is already indexed. Searches see uncommitted changes too (a near-real-time reader).
 *
 * <p>Every commit carries the {@link IndexMeta} (dim, model id, quantised or not); opening with another one
 * fails. One writer per directory (Lucene's write lock); {@link VectorIndexReader} searches the last commit without
 * it. Changes (add, delete, commit, merge) must come from one thread at a time; reads ({@link #search},
 * {@link #get}, {@link #contains}, {@link #size}, {@link #paths}) may run from any number of threads, concurrently with
 * each other and with a change or a commit in progress, and see every change that completed before they started.
 */
public final class PersistentVectorIndex implements AutoCloseable {
    /** Changes between automatic commits unless told otherwise. */
    public static final int DEFAULT_COMMIT_EVERY = 1000;
    static final String PATH = "path";
    static final String LABEL = "label";
    static final String EMBEDDING = "embedding";
    static final String PICTURE = "picture";

    private final Path dir;
    private final IndexMeta meta;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final NavigableSet<String> paths;
    private final int commitEvery;
    private int uncommitted;
    /** Changes made so far; a change counts once the writer holds it. */
    private final AtomicLong changes = new AtomicLong();
    /** The number of changes the search reader was last refreshed to see. */
    private volatile long readerSees;
    private final Object refreshLock = new Object();
    private volatile boolean closed;

    private PersistentVectorIndex(Path dir, IndexMeta meta, Directory directory, IndexWriter writer,
                                  int commitEvery) throws IOException {
        this.dir = dir;
        this.meta = meta;
        this.directory = directory;
        this.writer = writer;
        this.commitEvery = commitEvery;
        this.searchers = new SearcherManager(writer, true, false, null);
        this.paths = livePaths(searchers);
    }

    /** {@link #openOrCreate(Path, int, String, boolean, int)} committing every {@value #DEFAULT_COMMIT_EVERY}. */
    public static PersistentVectorIndex openOrCreate(Path dir, int dim, String modelId, boolean quantized) {
        return openOrCreate(dir, dim, modelId, quantized, DEFAULT_COMMIT_EVERY);
    }

    /**
     * Opens the index in {@code dir}, or creates it (and the directory) with this meta and commits it empty.
     *
     * @param quantized   store vectors int8 scalar-quantised (about 4x smaller, scores approximate)
     * @param commitEvery adds and deletes between automatic commits
     * @throws IllegalArgumentException when the existing index was built with another dim, model or quantisation
     * @throws IllegalStateException    when another writer holds the directory
     */
    public static PersistentVectorIndex openOrCreate(Path dir, int dim, String modelId, boolean quantized,
                                                     int commitEvery) {
        IndexMeta wanted = new IndexMeta(dim, modelId, quantized);
        int maxDim = VectorCodecs.maxDimensions(quantized);
        if (dim > maxDim || commitEvery <= 0) {
            throw new InvalidInputException("index " + dir + ": dim = " + dim + ", commitEvery = " + commitEvery
                    + "; expected dim <= " + maxDim + " (Lucene's limit) and commitEvery > 0");
        }
        Directory directory = null;
        IndexWriter writer = null;
        try {
            directory = FSDirectory.open(dir);
            boolean exists = DirectoryReader.indexExists(directory);
            if (exists) {
                readMeta(dir, directory).requireSame(dir, wanted);
            }
            IndexWriterConfig config = new IndexWriterConfig()
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCodec(VectorCodecs.forVectors(quantized))
                    .setCommitOnClose(false)
                    .setRAMBufferSizeMB(256);
            writer = new IndexWriter(directory, config);
            writer.setLiveCommitData(wanted.toUserData().entrySet());
            if (!exists) {
                writer.commit();
            }
            return new PersistentVectorIndex(dir, wanted, directory, writer, commitEvery);
        } catch (LockObtainFailedException e) {
            closeQuietly(directory);
            throw new InvalidInputException("index " + dir + " is locked by another writer: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(writer);
            closeQuietly(directory);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("index " + dir + ": cannot open: " + e.getMessage(), (IOException) e);
        }
    }

    /** The meta of the last commit in {@code dir}, without opening a writer. */
    public static IndexMeta readMeta(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("index " + dir + ": no such directory");
        }
        try (Directory directory = FSDirectory.open(dir)) {
            return readMeta(dir, directory);
        } catch (IOException e) {
            throw new UncheckedIOException("index " + dir + ": cannot read the last commit: " + e.getMessage(), e);
        }
    }

    private static IndexMeta readMeta(Path dir, Directory directory) throws IOException {
        if (!DirectoryReader.indexExists(directory)) {
            throw new InvalidInputException("index " + dir + ": no Lucene index (no segments_N file)");
        }
        return IndexMeta.fromUserData(dir, SegmentInfos.readLatestCommit(directory).getUserData());
    }

    public IndexMeta meta() {
        return meta;
    }

    /** Whether an image with this path is in the index (committed or not). */
    public boolean contains(String path) {
        requireOpen();
        return paths.contains(path);
    }

    /** Number of images in the index (committed or not). */
    public int size() {
        requireOpen();
        return paths.size();
    }

    /**
     * Up to {@code limit} paths in the index (committed or not) in their sorted order, starting at the
     * {@code offset}-th: pages through what the index holds.
     */
    public List<String> paths(int offset, int limit) {
        requireOpen();
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("paths from " + offset + ", " + limit + " of them; expected both >= 0");
        }
        List<String> out = new ArrayList<>(Math.min(limit, 1024));
        Iterator<String> it = paths.iterator();
        for (int skipped = 0; skipped < offset && it.hasNext(); skipped++) {
            it.next();
        }
        while (out.size() < limit && it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    /** {@link #add(String, int, float[], byte[])} without a picture. */
    public void add(String path, int label, float[] embedding) {
        add(path, label, embedding, null);
    }

    /**
     * Adds one image; commits when {@code commitEvery} changes have gathered.
     *
     * @param embedding {@code meta().dim()} floats of unit L2 norm (not kept by reference)
     * @param picture   a small encoded picture of the image (say a PNG thumbnail) stored with it, or null
     * @throws IllegalArgumentException when the path is already present or the embedding is not a unit vector
     *                                  of the index's dim
     */
    public void add(String path, int label, float[] embedding, byte[] picture) {
        requireOpen();
        HnswQuery.requireUnit(dir, meta, "add " + path, embedding);
        if (paths.contains(path)) {
            throw new InvalidInputException("index " + dir + ": path " + path + " is already indexed; "
                    + "delete it first to replace it");
        }
        Document doc = new Document();
        doc.add(new StringField(PATH, path, Field.Store.YES));
        doc.add(new StoredField(LABEL, label));
        doc.add(new KnnFloatVectorField(EMBEDDING, embedding.clone(), VectorSimilarityFunction.DOT_PRODUCT));
        if (picture != null) {
            doc.add(new StoredField(PICTURE, picture));
        }
        try {
            writer.addDocument(doc);
        } catch (IOException e) {
            throw new UncheckedIOException("index " + dir + ": cannot add " + path + ": " + e.getMessage(), e);
        }
        paths.add(path);
        changed();
    }

    /** The image with this path (committed or not): its label and stored picture; empty when absent. */
    public Optional<IndexEntry> get(String path) {
        requireOpen();
        if (!paths.contains(path)) {
            return Optional.empty();
        }
        try {
            refreshIfStale();
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = searcher.search(new TermQuery(new Term(PATH, path)), 1);
                if (top.scoreDocs.length == 0) {
                    return Optional.empty(); // deleted since the check above
                }
                Document doc = searcher.storedFields().document(top.scoreDocs[0].doc);
                BytesRef picture = doc.getBinaryValue(PICTURE);
                return Optional.of(new IndexEntry(path, doc.getField(LABEL).numericValue().intValue(),
                        picture == null ? null : BytesRef.deepCopyOf(picture).bytes));
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("index " + dir + ": cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the image with this path; false when it was not present. */
    public boolean delete(String path) {
        requireOpen();
        if (!paths.remove(path)) {
            return false;
        }
        try {
            writer.deleteDocuments(new Term(PATH, path));
        } catch (IOException e) {
            throw new UncheckedIOException("index " + dir + ": cannot delete " + path + ": " + e.getMessage(), e);
        }
        changed();
        return true;
    }

    /** Makes every change so far durable (a Lucene commit carrying the meta). */
    public void commit() {
        requireOpen();
        try {
            writer.setLiveCommitData(meta.toUserData().entrySet());
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("index " + dir + ": commit failed: " + e.getMessage(), e);
        }
        uncommitted = 0;
    }

    /**
     * Merges the index into one segment and commits: a search then walks one HNSW graph instead of one per
     * segment (faster, usually better recall), at the cost of rebuilding the graph, minutes for millions of images.
     */
    public void forceMerge() {
        requireOpen();
        try {
            writer.forceMerge(1);
            changes.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("index " + dir + ": merge failed: " + e.getMessage(), e);
        }
        commit();
    }

    /** Number of Lucene segments searched (each has its own HNSW graph), uncommitted ones included. */
    public int segments() {
        requireOpen();
        try {
            refreshIfStale();
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().leaves().size();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("index " + dir + ": cannot refresh the reader: " + e.getMessage(), e);
        }
    }

    /** {@link #search(float[], int, int)} exploring {@code k} candidates (Lucene's default beam). */
    public List<IndexHit> search(float[] query, int k) {
        return search(query, k, k);
    }

    /**
     * The {@code min(k, size())} images whose embeddings have the largest inner product with {@code query}, best
     * first. HNSW is approximate: {@code candidates >= k} widens the graph search (the "ef" of HNSW) for recall.
     */
    public List<IndexHit> search(float[] query, int k, int candidates) {
        requireOpen();
        HnswQuery.requireQuery(dir, meta, query, k, candidates);
        try {
            refreshIfStale();
            IndexSearcher searcher = searchers.acquire();
            try {
                return HnswQuery.topK(searcher, query, k, candidates);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("index " + dir + ": search failed: " + e.getMessage(), e);
        }
    }

    /**
     * Discards every change since the last commit and closes the index, as if the process had died: the
     * directory keeps the last committed state.
     */
    public void rollback() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            searchers.close();
            writer.rollback();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("index " + dir + ": rollback failed: " + e.getMessage(), e);
        }
    }

    /** Commits what is pending and closes. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        commit();
        closed = true;
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("index " + dir + ": close failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a reader that sees every change completed before this call, if the current one does not. The count is
     * read before refreshing, so the refreshed reader holds at least those changes; a change completing during the
     * refresh is seen by the next search's refresh.
     */
    private void refreshIfStale() throws IOException {
        long wanted = changes.get();
        if (readerSees < wanted) {
            synchronized (refreshLock) {
                if (readerSees < wanted) {
                    searchers.maybeRefreshBlocking();
                    readerSees = wanted;
                }
            }
        }
    }

    private void changed() {
        changes.incrementAndGet();
        if (++uncommitted >= commitEvery) {
            commit();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("index " + dir + " is closed");
        }
    }

    /** Paths of the live documents, read once from the terms of the path field. */
    private static NavigableSet<String> livePaths(SearcherManager searchers) throws IOException {
        NavigableSet<String> out = new ConcurrentSkipListSet<>();
        IndexSearcher searcher = searchers.acquire();
        try {
            for (LeafReaderContext ctx : searcher.getIndexReader().leaves()) {
                LeafReader leaf = ctx.reader();
                Terms terms = leaf.terms(PATH);
                if (terms == null) {
                    continue;
                }
                Bits live = leaf.getLiveDocs();
                TermsEnum te = terms.iterator();
                PostingsEnum postings = null;
                for (BytesRef term = te.next(); term != null; term = te.next()) {
                    postings = te.postings(postings, PostingsEnum.NONE);
                    for (int d = postings.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
                        if (live == null || live.get(d)) {
                            out.add(term.utf8ToString());
                            break;
                        }
                    }
                }
            }
        } finally {
            searchers.release(searcher);
        }
        return out;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing; the first error is the one to report
        }
    }
}
