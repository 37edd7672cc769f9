package org.unicom4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the torch.save fixtures (torch 1.13) and checks every value against PyTorch's own reading. */
class TorchCheckpointReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryDtypeStridedViewAndSharedStorageExactly() throws IOException {
        try (StateDict sd = TorchCheckpointReader.read(Fixtures.path("mixed.pt"))) {
            Fixtures.assertMatchesExpected("mixed", sd, name -> name);

            HostTensor transposed = sd.get("module.transposed");
            assertFalse(transposed.isContiguous());
            assertArrayEquals(new long[] {1, 6}, transposed.strides());
            HostTensor sliced = sd.get("module.sliced");
            assertEquals(8, sliced.storageOffset());
            assertArrayEquals(new long[] {6, 1}, sliced.strides());
            assertEquals(4, sd.get("module.shared_tail").storageOffset());
            assertArrayEquals(new long[] {2}, sd.get("module.every_other").strides());
            assertEquals(12345678901234.0, sd.get("module.num_batches_tracked").item());
            assertEquals(0, sd.get("module.num_batches_tracked").rank());
        }
    }

    @Test
    void viewsOfOneStorageAgree() throws IOException {
        // shared_full, shared_tail and every_other are views of one fp16 storage (one data/<key> record).
        Path file = Fixtures.path("mixed.pt");
        try (StateDict sd = TorchCheckpointReader.read(file)) {
            float[] full = sd.get("module.shared_full").toFloatArray();
            float[] tail = sd.get("module.shared_tail").toFloatArray();
            float[] everyOther = sd.get("module.every_other").toFloatArray();
            assertArrayEquals(Arrays.copyOfRange(full, 4, 10), tail);
            for (int i = 0; i < everyOther.length; i++) {
                assertEquals(full[2 * i], everyOther[i]);
            }
        }
    }

    @Test
    void readsDeflatedArchivesByInflating() throws IOException {
        try (StateDict sd = TorchCheckpointReader.read(Fixtures.path("mixed_deflated.pt"))) {
            Fixtures.assertMatchesExpected("mixed", sd, name -> name);
        }
    }

    @Test
    void stripsDataParallelPrefixAndSaysSo() throws IOException {
        try (StateDict sd = TorchCheckpointReader.read(Fixtures.path("mixed.pt"))) {
            StateDict stripped = sd.stripPrefixes();
            assertEquals(List.of("module."), stripped.strippedPrefixes());
            assertEquals("stripped prefix 'module.' from all 15 names", stripped.describeStripping());
            Fixtures.assertMatchesExpected("mixed", stripped, name -> name.substring("module.".length()));
        }
    }

    @Test
    void findsTheStateDictInsideATrainingCheckpoint() throws IOException {
        Path file = Fixtures.path("nested.pt");
        try (StateDict sd = TorchCheckpointReader.read(file)) {
            assertEquals(file + "['state_dict']", sd.source());
            Fixtures.assertMatchesExpected("nested", sd, name -> name);
            StateDict stripped = sd.stripPrefixes();
            assertEquals(List.of("_orig_mod.", "model."), stripped.strippedPrefixes());
            assertTrue(stripped.contains("patch_embed.proj.weight"));
            assertEquals(3.0, stripped.require("feature.1.num_batches_tracked").item());
        }
    }

    @Test
    void exposesTheWholeCheckpointAsPlainJavaObjects() throws IOException {
        try (TorchCheckpoint checkpoint = TorchCheckpointReader.open(Fixtures.path("nested.pt"))) {
            Map<?, ?> root = assertInstanceOf(Map.class, checkpoint.root());
            assertEquals(3L, root.get("epoch"));
            assertEquals(1e-3, root.get("lr"));
            assertEquals("run-\u00e9\u4e2d", root.get("name"));
            assertEquals(Arrays.asList(true, false, null), root.get("flags"));
            assertEquals(BigInteger.TWO.pow(70), root.get("big"));
            assertEquals(-5L, root.get("negative"));
            assertEquals(List.of(1L, "two"), root.get("pair"));
            assertInstanceOf(HostTensor.class, ((Map<?, ?>) root.get("state_dict")).values().iterator().next());
        }
    }

    @Test
    void truncatedFixtureIsReportedInOneLineNamingTheFile() {
        Path file = Fixtures.path("mixed_truncated.pt");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> TorchCheckpointReader.read(file));
        Fixtures.assertOneLineNaming(file, "truncated", e);
    }

    @Test
    void everyTruncationIsAFormatErrorNeverACrash() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.path("mixed.pt"));
        for (int cut = 0; cut < whole.length; cut += 41) {
            Path file = dir.resolve("cut" + cut + ".pt");
            Files.write(file, Arrays.copyOf(whole, cut));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> TorchCheckpointReader.read(file), "cut at " + cut);
            Fixtures.assertOneLineNaming(file, "", e);
        }
    }

    @Test
    void corruptPickleBytesAreCaughtByTheCrc() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.path("mixed.pt"));
        int at = indexOf(bytes, "torch._utils".getBytes(StandardCharsets.US_ASCII));
        bytes[at] ^= 0x20;
        Path file = dir.resolve("flipped.pt");
        Files.write(file, bytes);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> TorchCheckpointReader.read(file));
        Fixtures.assertOneLineNaming(file, "CRC-32 mismatch in entry 'mixed/data.pkl'", e);
    }

    @Test
    void unknownGlobalIsAnErrorNamingIt() throws IOException {
        // PROTO 2; GLOBAL 'os system'; SHORT_BINUNICODE? no: BINUNICODE 'echo'; TUPLE1; REDUCE; STOP
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.write(new byte[] {(byte) 0x80, 2});
        pickle.writeBytes("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        pickle.write('X');
        pickle.writeBytes(new byte[] {4, 0, 0, 0});
        pickle.writeBytes("echo".getBytes(StandardCharsets.US_ASCII));
        pickle.write(0x85);
        pickle.write('R');
        pickle.write('.');
        Path file = dir.resolve("evil.pt");
        writeZip(file, Map.of("evil/data.pkl", pickle.toByteArray(), "evil/version", "3\n".getBytes()));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> TorchCheckpointReader.read(file));
        Fixtures.assertOneLineNaming(file, "unsupported pickle global 'os.system'", e);
    }

    @Test
    void missingStorageEntryIsNamed() throws IOException {
        Path file = dir.resolve("nostorage.pt");
        Map<String, byte[]> entries = readZip(Fixtures.path("mixed.pt"));
        entries.remove("mixed/data/0");
        writeZip(file, entries);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> TorchCheckpointReader.read(file));
        Fixtures.assertOneLineNaming(file, "storage '0' is missing", e);
    }

    @Test
    void shortStorageEntryIsNamed() throws IOException {
        Path file = dir.resolve("shortstorage.pt");
        Map<String, byte[]> entries = readZip(Fixtures.path("mixed.pt"));
        entries.put("mixed/data/0", Arrays.copyOf(entries.get("mixed/data/0"), 10));
        writeZip(file, entries);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> TorchCheckpointReader.read(file));
        Fixtures.assertOneLineNaming(file, "truncated storage '0'", e);
    }

    @Test
    void otherFilesAreRejectedWithTheReason() throws IOException {
        Path empty = dir.resolve("empty.pt");
        Files.write(empty, new byte[0]);
        Fixtures.assertOneLineNaming(empty, "empty file",
                assertThrows(CheckpointFormatException.class, () -> TorchCheckpointReader.read(empty)));

        Path legacy = dir.resolve("legacy.pt");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
        Fixtures.assertOneLineNaming(legacy, "legacy torch.save format",
                assertThrows(CheckpointFormatException.class, () -> TorchCheckpointReader.read(legacy)));

        Path text = dir.resolve("text.pt");
        Files.writeString(text, "hello, this is not a checkpoint");
        Fixtures.assertOneLineNaming(text, "not a torch.save zip archive",
                assertThrows(CheckpointFormatException.class, () -> TorchCheckpointReader.read(text)));

        Path otherZip = dir.resolve("other.zip");
        writeZip(otherZip, Map.of("readme.txt", "hi".getBytes()));
        Fixtures.assertOneLineNaming(otherZip, "no <root>/data.pkl",
                assertThrows(CheckpointFormatException.class, () -> TorchCheckpointReader.read(otherZip)));
    }

    @Test
    void aCheckpointWithoutTensorsSaysWhatItHolds() throws IOException {
        Path file = dir.resolve("list.pt");
        Map<String, byte[]> entries = readZip(Fixtures.path("mixed.pt"));
        // PROTO 2, EMPTY_LIST, STOP: a checkpoint holding [].
        entries.put("mixed/data.pkl", new byte[] {(byte) 0x80, 2, ']', '.'});
        writeZip(file, entries);
        Fixtures.assertOneLineNaming(file, "holds a list, expected a dict of tensors",
                assertThrows(CheckpointFormatException.class, () -> TorchCheckpointReader.read(file)));
        try (TorchCheckpoint checkpoint = TorchCheckpointReader.open(file)) {
            assertEquals(List.of(), checkpoint.root());
        }
    }

    @Test
    void closingUnmapsTheTensors() throws IOException {
        HostTensor t;
        try (StateDict sd = TorchCheckpointReader.read(Fixtures.path("mixed.pt"))) {
            t = sd.get("module.w32");
            assertEquals(15, t.toFloatArray().length);
        }
        assertThrows(IllegalStateException.class, t::toFloatArray);
    }

    @Test
    void versionAndByteOrderRecordsAreHonoured() throws IOException {
        Path file = dir.resolve("bigendian.pt");
        Map<String, byte[]> entries = readZip(Fixtures.path("mixed.pt"));
        entries.put("mixed/byteorder", "big".getBytes(StandardCharsets.US_ASCII));
        writeZip(file, entries);
        Fixtures.assertOneLineNaming(file, "only little-endian",
                assertThrows(CheckpointFormatException.class, () -> TorchCheckpointReader.read(file)));

        Path little = dir.resolve("littleendian.pt");
        entries.put("mixed/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        writeZip(little, entries);
        try (StateDict sd = TorchCheckpointReader.read(little)) {
            Fixtures.assertMatchesExpected("mixed", sd, name -> name);
        }
    }

    static Map<String, byte[]> readZip(Path file) throws IOException {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        // ZipFile, not ZipInputStream: torch.save marks STORED entries with data descriptors, which only the
        // central directory makes readable.
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }
}
