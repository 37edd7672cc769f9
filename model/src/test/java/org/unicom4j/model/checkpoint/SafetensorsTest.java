package org.unicom4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safetensors: a file written by hand from Python, round trips, atomic writes and damaged files. */
class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void readsAFileWrittenByHandFromPython() throws IOException {
        try (StateDict sd = SafetensorsReader.read(Fixtures.path("handwritten.safetensors"))) {
            Fixtures.assertMatchesExpected("handwritten", sd, name -> name);
            assertEquals(Map.of("format", "pt", "source", "handwritten"), sd.metadata());
            assertEquals(9007199254740993L, sd.get("a.i64").toLongArray()[0], "int64 beyond 2^53 stays exact");
        }
    }

    @Test
    void roundTripKeepsDtypesValuesOrderAndMetadata() throws IOException {
        Path out = dir.resolve("mixed.safetensors");
        try (StateDict pt = TorchCheckpointReader.read(Fixtures.path("mixed.pt"))) {
            SafetensorsWriter.write(out, pt.tensors(), Map.of("note", "round trip", "format", "pt"));
        }
        try (StateDict back = SafetensorsReader.read(out)) {
            Fixtures.assertMatchesExpected("mixed", back, name -> name);
            assertEquals(Map.of("note", "round trip", "format", "pt"), back.metadata());
            // Strided views come back contiguous, with the same values.
            assertTrue(back.get("module.transposed").isContiguous());
        }
    }

    @Test
    void writerMatchesTheReferenceLayout() throws IOException {
        Path out = dir.resolve("layout.safetensors");
        float[] values = {1f, 2f, 3f};
        SafetensorsWriter.write(out, List.of(HostTensor.ofFloats("w", values, 3),
                HostTensor.ofLongs("n", new long[] {-1}, new long[0])), Map.of());
        byte[] bytes = Files.readAllBytes(out);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = b.getLong(0);
        assertEquals(0, headerLength % 8, "data starts 8-byte aligned");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertEquals("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[12,20]}}", header.strip());
        int data = 8 + (int) headerLength;
        assertEquals(8 + headerLength + 20, bytes.length);
        assertEquals(1f, b.getFloat(data));
        assertEquals(3f, b.getFloat(data + 8));
        assertEquals(-1L, b.getLong(data + 12));
    }

    /**
     * A tensor streamed in chunks (more than one chunk of 1 Mi floats, with a tail) writes the same file as the
     * same values from host memory, and reads back through {@link HostTensor#copyTo} chunk by chunk.
     */
    @Test
    void streamedTensorsWriteTheSameBytesAndStreamBack() throws IOException {
        int n = (1 << 20) + 37;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i * 0.5f - 3;
        }
        Path host = dir.resolve("host.safetensors"), streamed = dir.resolve("streamed.safetensors");
        SafetensorsWriter.write(host, List.of(HostTensor.ofFloats("t", values, 1, n)), Map.of("k", "v"));
        int[] reads = {0};
        FloatSource source = new FloatSource() {
            @Override
            public long length() {
                return n;
            }

            @Override
            public void read(long offset, float[] dst, int count) {
                reads[0]++;
                System.arraycopy(values, (int) offset, dst, 0, count);
            }
        };
        SafetensorsWriter.write(streamed, List.of(new StreamedTensor("t", new long[] {1, n}, source)),
                Map.of("k", "v"));
        assertEquals(2, reads[0], "two chunks");
        assertArrayEquals(Files.readAllBytes(host), Files.readAllBytes(streamed));
        float[] back = new float[n];
        int[] writes = {0};
        try (StateDict sd = SafetensorsReader.read(streamed)) {
            sd.get("t").copyTo(new FloatSink() {
                @Override
                public long length() {
                    return n;
                }

                @Override
                public void write(long offset, float[] src, int count) {
                    writes[0]++;
                    System.arraycopy(src, 0, back, (int) offset, count);
                }
            });
        }
        assertEquals(2, writes[0], "two chunks");
        assertArrayEquals(values, back);
        assertThrows(IllegalArgumentException.class, () -> new StreamedTensor("t", new long[] {2, n}, source));
    }

    @Test
    void failedWriteLeavesNoFileBehind() throws IOException {
        Path out = dir.resolve("never.safetensors");
        HostTensor good = HostTensor.ofFloats("good", new float[300_000], 300_000);
        HostTensor unreadable;
        StateDict pt = TorchCheckpointReader.read(Fixtures.path("mixed.pt"));
        unreadable = pt.get("module.w32");
        pt.close(); // its storage is unmapped now: writing it fails after 'good' is already on disk
        assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(out, List.of(good, unreadable), Map.of()));
        assertFalse(Files.exists(out));
        assertEquals(List.of(), listDir(), "no temporary file left");
    }

    @Test
    void failedWriteKeepsThePreviousFile() throws IOException {
        Path out = dir.resolve("kept.safetensors");
        SafetensorsWriter.write(out, List.of(HostTensor.ofFloats("v", new float[] {5f}, 1)), Map.of());
        byte[] before = Files.readAllBytes(out);
        StateDict pt = TorchCheckpointReader.read(Fixtures.path("mixed.pt"));
        HostTensor unreadable = pt.get("module.w16");
        pt.close();
        assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(out, List.of(unreadable), Map.of()));
        assertArrayEquals(before, Files.readAllBytes(out));
        assertEquals(List.of(out.getFileName().toString()), listDir());
    }

    @Test
    void badNamesAreRefusedBeforeWriting() {
        Path out = dir.resolve("dup.safetensors");
        HostTensor a = HostTensor.ofFloats("a", new float[] {1f}, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(out, List.of(a, a), Map.of()));
        Fixtures.assertOneLineNaming(out, "'a' is repeated", e);
        e = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(out, List.of(a.withName("__metadata__")), Map.of()));
        Fixtures.assertOneLineNaming(out, "is reserved", e);
        assertFalse(Files.exists(out));
    }

    @Test
    void everyTruncationIsReportedInOneLine() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.path("handwritten.safetensors"));
        for (int cut = 0; cut < whole.length; cut++) {
            Path file = dir.resolve("cut" + cut + ".safetensors");
            Files.write(file, Arrays.copyOf(whole, cut));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> SafetensorsReader.read(file), "cut at " + cut);
            Fixtures.assertOneLineNaming(file, "", e);
        }
    }

    @Test
    void damagedHeadersAreNamed() throws IOException {
        assertHeaderError("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", 8,
                "corrupt safetensors header");
        assertHeaderError("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4,
                "truncated safetensors file: tensor 'x' occupies data bytes [0, 8), the file holds 4");
        assertHeaderError("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8,
                "needs 12 bytes, got 8");
        assertHeaderError("{\"x\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8,
                "tensor 'x': unsupported dtype 'C64'");
        assertHeaderError("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "'x' and 'y' overlap");
        assertHeaderError("{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", 8, "shape entry -1");
        assertHeaderError("{\"__metadata__\":{\"k\":1}}", 0, "__metadata__ value 'k' is not a string");
        assertHeaderError("[1,2]", 0, "not a JSON object");

        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40).array());
        Fixtures.assertOneLineNaming(huge, "header length 1099511627776",
                assertThrows(CheckpointFormatException.class, () -> SafetensorsReader.read(huge)));
    }

    @Test
    void readerDispatchesOnContent() throws IOException {
        Path renamed = dir.resolve("actually-safetensors.pt");
        Files.copy(Fixtures.path("handwritten.safetensors"), renamed);
        try (StateDict sd = StateDictReader.read(renamed)) {
            Fixtures.assertMatchesExpected("handwritten", sd, name -> name);
        }
        try (StateDict sd = StateDictReader.read(Fixtures.path("mixed.pt"))) {
            assertEquals(15, sd.size());
        }
        Path junk = dir.resolve("junk.bin");
        Files.writeString(junk, "definitely not a checkpoint");
        Fixtures.assertOneLineNaming(junk, "neither a torch.save archive nor a safetensors file",
                assertThrows(CheckpointFormatException.class, () -> StateDictReader.read(junk)));
    }

    private void assertHeaderError(String json, int dataBytes, String needle) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        Path file = dir.resolve("bad" + Math.abs(json.hashCode()) + "_" + dataBytes + ".safetensors");
        Files.write(file, b.array());
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsReader.read(file));
        Fixtures.assertOneLineNaming(file, needle, e);
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = new ArrayList<>(files.map(p -> p.getFileName().toString()).toList());
            names.sort(null);
            return names;
        }
    }
}
