package org.unicom4j.data.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.FileFormatException;

/** IDX files generated here, plain and gzipped, and the ways they can be broken. */
class IdxArrayTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsUnsignedBytes(boolean gzip) throws IOException {
        byte[] px = {0, 1, (byte) 200, (byte) 255, 7, 8};
        Path f = IdxFiles.write(dir.resolve("a.idx"), IdxFiles.bytes(0x08, new int[] {1, 2, 3}, px), gzip);
        IdxArray a = IdxArray.read(f);
        assertEquals(IdxType.UNSIGNED_BYTE, a.type());
        assertArrayEquals(new int[] {1, 2, 3}, a.dims());
        assertArrayEquals(new int[] {0, 1, 200, 255, 7, 8}, a.toInts());
        assertArrayEquals(new float[] {0, 1, 200, 255, 7, 8}, a.toFloats());
    }

    @Test
    void readsBigEndianWiderTypes() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12).putInt(-3).putFloat(1.5f).putInt(70000);
        IdxArray ints = IdxArray.read(IdxFiles.write(dir.resolve("i.idx"),
                IdxFiles.bytes(0x0C, new int[] {3}, b.array()), false));
        assertEquals(-3, ints.toInts()[0]);
        assertEquals(70000, ints.toInts()[2]);
        IdxArray floats = IdxArray.read(IdxFiles.write(dir.resolve("f.idx"),
                IdxFiles.bytes(0x0D, new int[] {3}, b.array()), true));
        assertEquals(1.5f, floats.toFloats()[1]);
        assertThrows(FileFormatException.class, floats::toInts);
    }

    @Test
    void badMagicIsNamed() throws IOException {
        Path f = IdxFiles.write(dir.resolve("bad.idx"), new byte[] {1, 2, 8, 1, 0, 0, 0, 0}, false);
        var e = assertThrows(FileFormatException.class, () -> IdxArray.read(f));
        assertEquals(f + ": not an IDX file (magic 01 02 08 01, expected 00 00 <type> <rank>)", e.getMessage());
    }

    @Test
    void unknownTypeIsNamed() throws IOException {
        Path f = IdxFiles.write(dir.resolve("t.idx"), IdxFiles.bytes(0x0A, new int[] {1}, new byte[1]), false);
        var e = assertThrows(FileFormatException.class, () -> IdxArray.read(f));
        assertTrue(e.getMessage().startsWith(f + ": unknown IDX element type 0xa"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedDataIsNamed(boolean gzip) throws IOException {
        byte[] full = IdxFiles.bytes(0x08, new int[] {2, 4, 4}, new byte[32]);
        Path f = IdxFiles.write(dir.resolve("cut.idx"), Arrays.copyOf(full, full.length - 3), gzip);
        var e = assertThrows(FileFormatException.class, () -> IdxArray.read(f));
        assertEquals(f + ": truncated IDX file: ends inside the data of dims [2, 4, 4]", e.getMessage());
    }

    @Test
    void trailingBytesAreNamed() throws IOException {
        byte[] full = IdxFiles.bytes(0x08, new int[] {2}, new byte[3]);
        Path f = IdxFiles.write(dir.resolve("long.idx"), full, false);
        var e = assertThrows(FileFormatException.class, () -> IdxArray.read(f));
        assertTrue(e.getMessage().contains("bytes after the data of dims [2]"), e.getMessage());
    }

    @Test
    void corruptGzipIsNamed() throws IOException {
        byte[] gz = Files.readAllBytes(IdxFiles.write(dir.resolve("x.gz"),
                IdxFiles.bytes(0x08, new int[] {100}, new byte[100]), true));
        gz[gz.length - 6] ^= 0x55; // breaks the CRC/size trailer
        Path f = dir.resolve("broken.gz");
        Files.write(f, gz);
        var e = assertThrows(FileFormatException.class, () -> IdxArray.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
}
