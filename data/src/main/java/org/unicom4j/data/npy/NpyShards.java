package org.unicom4j.data.npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.unicom4j.data.InvalidInputException;

/**
 * Several {@code .npy} files with the same row shape and dtype read as one sequence of rows, in the order given:
 * how LAION ships its CLIP embeddings ({@code img_emb_0000.npy}, {@code img_emb_0001.npy}, ..., float16 [n, 768]).
 * Rows are memory-mapped per shard (see {@link NpyRowReader}); a read may span shard boundaries.
 */
public final class NpyShards implements AutoCloseable {
    private final List<NpyRowReader> shards;
    /** starts[i] = global index of shard i's first row; starts[n] = total. */
    private final long[] starts;
    private final int rowLength;

    private NpyShards(List<NpyRowReader> shards) {
        this.shards = List.copyOf(shards);
        this.starts = new long[shards.size() + 1];
        NpyRowReader first = shards.getFirst();
        this.rowLength = first.rowLength();
        for (int i = 0; i < shards.size(); i++) {
            NpyRowReader s = shards.get(i);
            long[] a = first.header().shape();
            long[] b = s.header().shape();
            if (s.rowLength() != rowLength || a.length != b.length || s.dtype() != first.dtype()) {
                throw new InvalidInputException(s + ": rows of shape " + java.util.Arrays.toString(b) + " "
                        + s.dtype().descr() + " do not match the first shard's " + java.util.Arrays.toString(a) + " "
                        + first.dtype().descr());
            }
            starts[i + 1] = starts[i] + s.rows();
        }
    }

    /** Opens {@code files} in this order. */
    public static NpyShards open(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .npy shards given");
        }
        List<NpyRowReader> readers = new ArrayList<>();
        try {
            for (Path f : files) {
                readers.add(NpyRowReader.open(f));
            }
            return new NpyShards(readers);
        } catch (IOException | RuntimeException e) {
            readers.forEach(NpyRowReader::close);
            throw e;
        }
    }

    /** Opens every {@code *.npy} file directly in {@code directory} whose name starts with {@code prefix}, sorted. */
    public static NpyShards openDirectory(Path directory, String prefix) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(directory)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(".npy") && Files.isRegularFile(p);
            }).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new InvalidInputException(directory + ": no files " + prefix + "*.npy");
        }
        return open(files);
    }

    /** Total rows over all shards. */
    public long rows() {
        return starts[shards.size()];
    }

    public int rowLength() {
        return rowLength;
    }

    public int shardCount() {
        return shards.size();
    }

    /** Reads global rows {@code [firstRow, firstRow + count)} as float32 into {@code dst[dstOffset ..]}. */
    public void readRows(long firstRow, int count, float[] dst, int dstOffset) {
        if (firstRow < 0 || count < 0 || firstRow + count > rows()) {
            throw new IndexOutOfBoundsException("rows [" + firstRow + ", " + (firstRow + count) + ") out of range; "
                    + shards.size() + " shards hold " + rows() + " rows");
        }
        int shard = shardOf(firstRow);
        long row = firstRow;
        int done = 0;
        while (done < count) {
            NpyRowReader r = shards.get(shard);
            long local = row - starts[shard];
            int take = (int) Math.min(count - done, r.rows() - local);
            r.readRows(local, take, dst, dstOffset + done * rowLength);
            done += take;
            row += take;
            shard++;
        }
    }

    private int shardOf(long row) {
        int lo = 0;
        int hi = shards.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= row) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        // Skip empty shards that start at the same row.
        while (lo < shards.size() - 1 && starts[lo + 1] <= row) {
            lo++;
        }
        return lo;
    }

    @Override
    public void close() {
        shards.forEach(NpyRowReader::close);
    }
}
