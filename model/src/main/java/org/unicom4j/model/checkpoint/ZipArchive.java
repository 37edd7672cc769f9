package org.unicom4j.model.checkpoint;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip archive that is memory-mapped whole, read from its central directory (zip64 included) as
 * PKWARE's APPNOTE.TXT (sections 4.3.7-4.3.16, 4.5.3) lays it out. A STORED entry - every entry of a
 * {@code torch.save} file - is returned as a slice of the mapping, so nothing is copied; a DEFLATED entry is
 * inflated into memory owned by the mapping. Problems are reported as {@link IllegalArgumentException}s whose
 * messages the caller prefixes with the file name.
 */
final class ZipArchive {
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One entry: where its data starts in the file and how it is stored. */
    record Entry(String name, int method, long compressedSize, long size, int crc, long dataOffset) {
    }

    private final MappedFile file;
    private final MemorySegment bytes;
    private final Map<String, Entry> entries;

    private ZipArchive(MappedFile file, Map<String, Entry> entries) {
        this.file = file;
        this.bytes = file.contents();
        this.entries = entries;
    }

    static boolean looksLikeZip(MemorySegment bytes) {
        return bytes.byteSize() >= 4 && bytes.get(U32, 0) == LOCAL_HEADER;
    }

    static ZipArchive read(MappedFile file) {
        MemorySegment b = file.contents();
        long size = b.byteSize();
        long eocd = findEndOfCentralDirectory(b);
        if (eocd < 0) {
            throw new IllegalArgumentException("truncated or not a zip archive: no end-of-central-directory record");
        }
        long count = u16(b, eocd + 10);
        long directorySize = u32(b, eocd + 12);
        long directoryOffset = u32(b, eocd + 16);
        if (eocd >= 20 && b.get(U32, eocd - 20) == ZIP64_LOCATOR) {
            long zip64End = b.get(U64, eocd - 20 + 8);
            if (zip64End < 0 || zip64End > size - 56 || b.get(U32, zip64End) != ZIP64_END) {
                throw new IllegalArgumentException("corrupt zip64 end-of-central-directory record");
            }
            count = b.get(U64, zip64End + 32);
            directorySize = b.get(U64, zip64End + 40);
            directoryOffset = b.get(U64, zip64End + 48);
        }
        if (directoryOffset < 0 || directorySize < 0 || directoryOffset + directorySize > eocd) {
            throw new IllegalArgumentException("truncated or corrupt zip: central directory at " + directoryOffset
                    + " (" + directorySize + " bytes) does not fit before byte " + eocd);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        long p = directoryOffset;
        for (long i = 0; i < count; i++) {
            if (p + 46 > eocd || b.get(U32, p) != CENTRAL_HEADER) {
                throw new IllegalArgumentException("corrupt zip: central directory entry " + i + " at byte " + p);
            }
            int flags = u16(b, p + 8);
            int method = u16(b, p + 10);
            int crc = b.get(U32, p + 16);
            long compressed = u32(b, p + 20);
            long uncompressed = u32(b, p + 24);
            int nameLength = u16(b, p + 28);
            int extraLength = u16(b, p + 30);
            int commentLength = u16(b, p + 32);
            long localOffset = u32(b, p + 42);
            if (p + 46 + nameLength + extraLength > eocd) {
                throw new IllegalArgumentException("corrupt zip: central directory entry " + i + " overruns");
            }
            String name = new String(b.asSlice(p + 46, nameLength).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
            // Zip64 extra field: 64-bit values for exactly those fields saturated at 0xFFFFFFFF, in this order.
            long q = p + 46 + nameLength;
            long extraEnd = q + extraLength;
            while (q + 4 <= extraEnd) {
                int id = u16(b, q);
                int len = u16(b, q + 2);
                long v = q + 4;
                if (id == 0x0001) {
                    if (uncompressed == 0xFFFFFFFFL && v + 8 <= q + 4 + len) {
                        uncompressed = b.get(U64, v);
                        v += 8;
                    }
                    if (compressed == 0xFFFFFFFFL && v + 8 <= q + 4 + len) {
                        compressed = b.get(U64, v);
                        v += 8;
                    }
                    if (localOffset == 0xFFFFFFFFL && v + 8 <= q + 4 + len) {
                        localOffset = b.get(U64, v);
                    }
                }
                q += 4 + len;
            }
            if ((flags & 1) != 0) {
                throw new IllegalArgumentException("zip entry '" + name + "' is encrypted");
            }
            if (localOffset < 0 || localOffset + 30 > size || b.get(U32, localOffset) != LOCAL_HEADER) {
                throw new IllegalArgumentException("truncated or corrupt zip: no local header for '" + name
                        + "' at byte " + localOffset);
            }
            long dataOffset = localOffset + 30 + u16(b, localOffset + 26) + u16(b, localOffset + 28);
            if (compressed < 0 || uncompressed < 0 || dataOffset + compressed > size) {
                throw new IllegalArgumentException("truncated zip: entry '" + name + "' needs bytes up to "
                        + (dataOffset + compressed) + ", the file has " + size);
            }
            entries.put(name, new Entry(name, method, compressed, uncompressed, crc, dataOffset));
            p += 46 + nameLength + extraLength + commentLength;
        }
        return new ZipArchive(file, entries);
    }

    private static long findEndOfCentralDirectory(MemorySegment b) {
        long size = b.byteSize();
        long lowest = Math.max(0, size - 22 - 0xFFFF); // the record is 22 bytes plus a comment of up to 64 KiB
        for (long p = size - 22; p >= lowest; p--) {
            if (b.get(U32, p) == END_OF_CENTRAL_DIRECTORY && p + 22 + u16(b, p + 20) == size) {
                return p;
            }
        }
        return -1;
    }

    List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    Entry find(String name) {
        return entries.get(name);
    }

    /** The entry's uncompressed bytes: a slice of the mapping when STORED, inflated otherwise. */
    MemorySegment contents(Entry e) {
        return switch (e.method()) {
            case STORED -> {
                if (e.compressedSize() != e.size()) {
                    throw new IllegalArgumentException("corrupt zip: stored entry '" + e.name() + "' has sizes "
                            + e.compressedSize() + " and " + e.size());
                }
                yield bytes.asSlice(e.dataOffset(), e.size());
            }
            case DEFLATED -> inflate(e);
            default -> throw new IllegalArgumentException("zip entry '" + e.name() + "' uses compression method "
                    + e.method() + "; only stored (0) and deflated (8) are supported");
        };
    }

    /** The entry's bytes on the heap, checked against the CRC-32 recorded in the directory. */
    byte[] readChecked(Entry e) {
        if (e.size() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("zip entry '" + e.name() + "' is too large (" + e.size() + " bytes)");
        }
        byte[] data = contents(e).toArray(ValueLayout.JAVA_BYTE);
        CRC32 crc = new CRC32();
        crc.update(data);
        if ((int) crc.getValue() != e.crc()) {
            throw new IllegalArgumentException("corrupt zip: CRC-32 mismatch in entry '" + e.name() + "'");
        }
        return data;
    }

    private MemorySegment inflate(Entry e) {
        MemorySegment out = file.allocate(Math.max(1, e.size())).asSlice(0, e.size());
        MemorySegment in = bytes.asSlice(e.dataOffset(), e.compressedSize());
        Inflater inflater = new Inflater(true); // raw DEFLATE, no zlib header, as zip stores it
        CRC32 crc = new CRC32();
        try {
            long inPos = 0;
            long outPos = 0;
            int window = 1 << 26; // ByteBuffer views are int-indexed: walk multi-GB entries in 64 MiB windows
            while (outPos < out.byteSize() && !inflater.finished()) {
                if (inflater.needsInput()) {
                    if (inPos == in.byteSize()) {
                        break;
                    }
                    long n = Math.min(window, in.byteSize() - inPos);
                    inflater.setInput(in.asSlice(inPos, n).asByteBuffer());
                    inPos += n;
                }
                int n = inflater.inflate(out.asSlice(outPos, Math.min(window, out.byteSize() - outPos)).asByteBuffer());
                if (n == 0 && inflater.needsDictionary()) {
                    throw new IllegalArgumentException("corrupt zip: entry '" + e.name() + "' needs a dictionary");
                }
                crc.update(out.asSlice(outPos, n).asByteBuffer());
                outPos += n;
            }
            if (!inflater.finished() && outPos == out.byteSize()) {
                // All bytes are out; the end-of-stream marker may still be pending.
                if (inflater.needsInput() && inPos < in.byteSize()) {
                    inflater.setInput(in.asSlice(inPos, Math.min(window, in.byteSize() - inPos)).asByteBuffer());
                }
                if (inflater.inflate(new byte[1]) != 0) {
                    throw new IllegalArgumentException("corrupt zip: entry '" + e.name() + "' inflates to more than "
                            + e.size() + " bytes");
                }
            }
            if (!inflater.finished() || outPos != e.size()) {
                throw new IllegalArgumentException("truncated or corrupt zip: entry '" + e.name() + "' inflates to "
                        + outPos + " of " + e.size() + " bytes");
            }
        } catch (DataFormatException ex) {
            throw new IllegalArgumentException("corrupt zip: entry '" + e.name() + "': " + ex.getMessage());
        } finally {
            inflater.end();
        }
        if ((int) crc.getValue() != e.crc()) {
            throw new IllegalArgumentException("corrupt zip: CRC-32 mismatch in entry '" + e.name() + "'");
        }
        return out;
    }

    private static int u16(MemorySegment b, long at) {
        return b.get(U16, at) & 0xFFFF;
    }

    private static long u32(MemorySegment b, long at) {
        return b.get(U32, at) & 0xFFFFFFFFL;
    }
}
