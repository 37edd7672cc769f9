package org.unicom4j.data.npy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.TestFiles;

/** Unsupported and damaged files fail with one line that names the file and what was expected. */
class NpyBadFileTest {
    @TempDir
    Path dir;

    private static void assertOneLineNaming(Path file, FileFormatException e, String fragment) {
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), m);
        assertTrue(m.contains(fragment), m);
        assertTrue(!m.contains("\n"), m);
    }

    private Path copyOfFixture(String name) throws IOException {
        Path copy = dir.resolve(name);
        Files.copy(TestFiles.resource("npy/" + name), copy);
        return copy;
    }

    @Test
    void fortranOrderIsRejected() {
        Path f = TestFiles.resource("npy/f4_fortran_3x2.npy");
        var e = assertThrows(FileFormatException.class, () -> NpyArray.read(f));
        assertOneLineNaming(f, e, "fortran_order");
    }

    @Test
    void bigEndianIsRejected() {
        Path f = TestFiles.resource("npy/f4_bigendian_3.npy");
        var e = assertThrows(FileFormatException.class, () -> NpyArray.read(f));
        assertOneLineNaming(f, e, "'>f4'");
    }

    @Test
    void truncatedDataIsRejectedByWholeAndRowReads() throws IOException {
        Path f = copyOfFixture("f4_2x3x4.npy");
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 5));
        var e = assertThrows(FileFormatException.class, () -> NpyArray.read(f));
        assertOneLineNaming(f, e, "truncated");
        var e2 = assertThrows(FileFormatException.class, () -> NpyRowReader.open(f));
        assertOneLineNaming(f, e2, "truncated");
    }

    @Test
    void truncatedHeaderIsRejected() throws IOException {
        Path f = copyOfFixture("f4_2x3x4.npy");
        Files.write(f, Arrays.copyOf(Files.readAllBytes(f), 40));
        var e = assertThrows(FileFormatException.class, () -> NpyArray.read(f));
        assertOneLineNaming(f, e, "truncated");
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        Path f = copyOfFixture("f8_5.npy");
        Files.write(f, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        var e = assertThrows(FileFormatException.class, () -> NpyArray.read(f));
        assertOneLineNaming(f, e, "3 bytes after the data");
    }

    @Test
    void wrongMagicIsRejected() throws IOException {
        Path f = dir.resolve("not.npy");
        Files.writeString(f, "PK\u0003\u0004 this is a zip, not an npy file", StandardCharsets.ISO_8859_1);
        var e = assertThrows(FileFormatException.class, () -> NpyArray.read(f));
        assertOneLineNaming(f, e, "not a .npy file");
    }

    @Test
    void unknownVersionIsRejected() throws IOException {
        Path f = copyOfFixture("f8_5.npy");
        byte[] bytes = Files.readAllBytes(f);
        bytes[6] = 9;
        Files.write(f, bytes);
        var e = assertThrows(FileFormatException.class, () -> NpyArray.read(f));
        assertOneLineNaming(f, e, "version 9.0");
    }

    @Test
    void malformedHeaderDictIsRejected() throws IOException {
        Path f = copyOfFixture("f8_5.npy");
        byte[] bytes = Files.readAllBytes(f);
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("'shape': (5,)", "'shape': [5,]");
        Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
        var e = assertThrows(FileFormatException.class, () -> NpyArray.read(f));
        assertOneLineNaming(f, e, "malformed .npy header");
    }

    @Test
    void unsupportedDtypeIsRejected() throws IOException {
        Path f = copyOfFixture("f8_5.npy");
        byte[] bytes = Files.readAllBytes(f);
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("'<f8'", "'<c8'");
        Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
        var e = assertThrows(FileFormatException.class, () -> NpyArray.read(f));
        assertOneLineNaming(f, e, "unsupported dtype '<c8'");
    }

    @Test
    void floatArrayIsNotReadAsIntegers() throws IOException {
        NpyArray a = NpyArray.read(TestFiles.resource("npy/f8_5.npy"));
        assertThrows(IllegalArgumentException.class, a::toLongs);
        assertThrows(IllegalArgumentException.class, a::toInts);
    }
}
