package org.unicom4j.retrieval.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * A read-only view of a {@link PersistentVectorIndex} directory as of its last commit. It takes no write lock, so
 * searches can run while another process is adding to the index (they see what that process last committed),
 * and any number of readers can be open at once. Searches may run concurrently.
 */
public final class VectorIndexReader implements AutoCloseable {
    private final Path dir;
    private final IndexMeta meta;
    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private volatile boolean closed;

    private VectorIndexReader(Path dir, IndexMeta meta, Directory directory, DirectoryReader reader) {
        this.dir = dir;
        this.meta = meta;
        this.directory = directory;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
    }

    /**
     * Opens the last commit in {@code dir}.
     *
     * @throws IllegalArgumentException when {@code dir} holds no index
     * @throws IllegalStateException    when its last commit carries no unicom4j meta
     */
    public static VectorIndexReader open(Path dir) {
        IndexMeta meta = PersistentVectorIndex.readMeta(dir);
        Directory directory = null;
        try {
            directory = FSDirectory.open(dir);
            return new VectorIndexReader(dir, meta, directory, DirectoryReader.open(directory));
        } catch (IOException e) {
            if (directory != null) {
                try {
                    directory.close();
                } catch (IOException ignored) {
                    // the open failure is the one to report
                }
            }
            throw new UncheckedIOException("index " + dir + ": cannot open for reading: " + e.getMessage(), e);
        }
    }

    public IndexMeta meta() {
        return meta;
    }

    /** Images in the commit read. */
    public int size() {
        requireOpen();
        return reader.numDocs();
    }

    /** {@link #search(float[], int, int)} exploring {@code k} candidates. */
    public List<IndexHit> search(float[] query, int k) {
        return search(query, k, k);
    }

    /** As {@link PersistentVectorIndex#search(float[], int, int)}, over the commit read. */
    public List<IndexHit> search(float[] query, int k, int candidates) {
        requireOpen();
        HnswQuery.requireQuery(dir, meta, query, k, candidates);
        try {
            return HnswQuery.topK(searcher, query, k, candidates);
        } catch (IOException e) {
            throw new UncheckedIOException("index " + dir + ": search failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reader.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("index " + dir + ": close failed: " + e.getMessage(), e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("index " + dir + " reader is closed");
        }
    }
}
