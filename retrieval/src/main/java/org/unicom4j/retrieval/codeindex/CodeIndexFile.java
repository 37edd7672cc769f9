package org.unicom4j.retrieval.codeindex;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.io.AtomicFile;
import org.unicom4j.retrieval.index.CodeDistance;
import org.unicom4j.retrieval.index.PqIndex;
import org.unicom4j.retrieval.index.ProductQuantizer;

/**
 * The code index file format, version 1. All numbers little-endian; strings are an int32 byte length and UTF-8.
 * <pre>
 *   magic "U4JCODES" (8 bytes), int32 version = 1, int32 flags (0; reserved for optional sections)
 *   int32 M (subspaces), int32 K (centroids per subspace), int32 bits per code (4 when K &lt;= 16, else 8),
 *   int32 sub-dimension, int64 items n
 *   string model id, string code assignment ("nearest-centroid-l2"), string default distance (a CodeDistance label)
 *   codebooks: float32 [M][K][sub-dimension]
 *   codes: uint8 [n][bytes per item], row-major; bytes per item = M at 8 bits, ceil(M / 2) at 4 bits (code 2j in
 *          the low nibble of byte j, code 2j + 1 in its high nibble)
 *   items: int64 id [n], int32 label [n] (-1: none), then n strings (paths)
 *   int32 CRC-32 of every byte before it, then "U4JEND01" (8 bytes)
 * </pre>
 * Written through {@link AtomicFile} (temporary sibling, fsync, rename): a failed write leaves the old file. Read as
 * a stream; a short, corrupt or inconsistent file is a {@link FileFormatException}, one that does not match what the
 * caller expects (model id, code length) an {@link InvalidInputException}; either's one line names the file.
 */
public final class CodeIndexFile {
    static final byte[] MAGIC = "U4JCODES".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "U4JEND01".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final String ASSIGNMENT = "nearest-centroid-l2";
    private static final int MAX_NAME = 1 << 12;
    private static final int MAX_PATH = 1 << 16;
    private static final int MAX_SUBSPACES = 1 << 16;
    private static final int MAX_SUB_DIM = 1 << 20;

    private CodeIndexFile() {
    }

    static void write(Path file, CodeIndex index) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ProductQuantizer pq = index.quantizer();
        AtomicFile.write(file, channel -> {
            FormatOutput out = new FormatOutput(Channels.newOutputStream(channel));
            out.writeBytes(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(0);
            out.writeInt(pq.subspaces());
            out.writeInt(pq.centroids());
            out.writeInt(pq.codeBits());
            out.writeInt(pq.dim() / pq.subspaces());
            out.writeLong(index.size());
            out.writeString(index.modelId(), MAX_NAME, "model id");
            out.writeString(ASSIGNMENT, MAX_NAME, "code assignment");
            out.writeString(index.defaultDistance().label(), MAX_NAME, "default distance");
            for (int m = 0; m < pq.subspaces(); m++) {
                out.writeFloats(pq.codebook(m).data());
            }
            out.writeBytes(index.codes().packedCodes());
            CodeItems items = index.items();
            out.writeLongs(items.ids());
            out.writeInts(items.labels());
            for (String path : items.paths()) {
                out.writeString(path, MAX_PATH, file + ": item path");
            }
            out.writeInt(out.checksum());
            out.writeBytes(END);
            out.flush();
        });
    }

    static CodeIndex read(Path file, CodeIndexExpectation expect) throws IOException {
        try (InputStream stream = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(new FormatInput(stream, file), file, Files.size(file), expect);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": code index not found");
        }
    }

    private static CodeIndex read(FormatInput in, Path file, long fileSize, CodeIndexExpectation expect)
            throws IOException {
        byte[] magic = in.readBytes(MAGIC.length, "the magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new FileFormatException(file + ": not a code index (no U4JCODES magic)");
        }
        int version = in.readInt("the version");
        if (version != VERSION) {
            throw new FileFormatException(file + ": code index version " + version + ", this build reads version "
                    + VERSION);
        }
        int flags = in.readInt("the flags");
        if (flags != 0) {
            throw in.corrupt("flags " + flags + ", expected 0");
        }
        int m = in.readInt("the header"), k = in.readInt("the header"), bits = in.readInt("the header");
        int subDim = in.readInt("the header");
        long n = in.readLong("the header");
        if (m < 1 || m > MAX_SUBSPACES || k < 1 || k > 256 || bits != (k <= 16 ? 4 : 8) || subDim < 1
                || subDim > MAX_SUB_DIM || n < 0 || n > Integer.MAX_VALUE - 8) {
            throw in.corrupt("header M = " + m + ", K = " + k + ", bits = " + bits + ", sub-dimension = " + subDim
                    + ", items = " + n);
        }
        String modelId = in.readString(MAX_NAME, "the model id");
        String assignment = in.readString(MAX_NAME, "the code assignment");
        String distanceName = in.readString(MAX_NAME, "the default distance");
        if (!assignment.equals(ASSIGNMENT)) {
            throw in.corrupt("code assignment '" + assignment + "', expected " + ASSIGNMENT);
        }
        CodeDistance distance;
        try {
            distance = CodeDistance.parse(distanceName);
        } catch (InvalidInputException e) {
            throw in.corrupt("default distance '" + distanceName + "'");
        }
        check(file, expect, modelId, m * bits, m, bits);
        int bytesPerItem = bits == 8 ? m : (m + 1) / 2;
        // what the header promises, paths counted empty: a file shorter than that is cut, and is refused before
        // anything of that size is allocated
        long promised = 4L * m * k * subDim + n * (bytesPerItem + 8 + 4 + 4) + 4 + END.length;
        long left = fileSize - headerBytes(modelId, assignment, distanceName);
        if (promised > left) {
            throw new FileFormatException(file + ": code index truncated: its header promises at least " + promised
                    + " more bytes, the file holds " + left);
        }
        float[][] books = new float[m][];
        for (int s = 0; s < m; s++) {
            books[s] = in.readFloats(Math.multiplyExact(k, subDim), "the codebooks");
        }
        int items = (int) n;
        byte[] codes = in.readBytes(Math.multiplyExact(items, bytesPerItem), "the codes");
        long[] ids = in.readLongs(items, "the item ids");
        int[] labels = in.readInts(items, "the item labels");
        List<String> paths = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            paths.add(in.readString(MAX_PATH, "the item paths"));
        }
        int expected = in.checksum();
        int stored = in.readInt("the checksum");
        byte[] end = in.readBytes(END.length, "the end marker");
        if (stored != expected || !Arrays.equals(end, END)) {
            throw in.corrupt("checksum mismatch (the file is damaged)");
        }
        if (!in.atEnd()) {
            throw in.corrupt("bytes after the end marker");
        }
        ProductQuantizer pq = ProductQuantizer.fromCodebooks(books, subDim);
        PqIndex index;
        try {
            index = PqIndex.ofPackedCodes(pq, codes, items);
            requireCodesInRange(index, k, in);
        } catch (IllegalArgumentException e) {
            throw in.corrupt(e.getMessage());
        }
        return new CodeIndex(modelId, index, new CodeItems(ids, labels, paths), distance, file);
    }

    /** Bytes from the start of the file to the end of the header strings. */
    private static long headerBytes(String... strings) {
        long bytes = MAGIC.length + 4 * 6 + 8;
        for (String s : strings) {
            bytes += 4 + s.getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    /** A code past K would index past its table: corruption (16 and 256 centroids use every code). */
    private static void requireCodesInRange(PqIndex index, int k, FormatInput in) {
        if (k == 16 || k == 256) {
            return;
        }
        for (byte c : index.codes()) {
            if ((c & 0xff) >= k) {
                throw in.corrupt("a code " + (c & 0xff) + " for " + k + " centroids");
            }
        }
    }

    private static void check(Path file, CodeIndexExpectation expect, String modelId, int bits, int m, int bitsEach) {
        if (expect.modelId() != null && !expect.modelId().equals(modelId)) {
            throw new InvalidInputException(file + ": code index of model '" + modelId + "', expected model '"
                    + expect.modelId() + "'");
        }
        if (expect.bits() != null && expect.bits() != bits) {
            throw new InvalidInputException(file + ": codes of " + bits + " bits (" + m + " x " + bitsEach
                    + "), expected " + expect.bits() + " bits");
        }
    }
}
