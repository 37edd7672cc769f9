package org.unicom4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The unpickler against pickles written by CPython 3.11 (protocols 0-5) and NumPy 1.24. */
class UnpicklerTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 4, 5})
    void plainPickleOfEveryProtocolGivesTheSameJavaObjects(int protocol) throws IOException {
        Object loaded = Unpickler.loadFile(Fixtures.path("plain_p" + protocol + ".pkl"));
        assertPythonEquals(Fixtures.json("plain.expected.json"), loaded, "root");
    }

    @Test
    void containersKeepPythonOrderAndKinds() throws IOException {
        Map<?, ?> root = assertInstanceOf(Map.class, Unpickler.loadFile(Fixtures.path("plain_p2.pkl")));
        assertEquals(List.of("imlist", "qimlist", "gnd", "counts", "flags", "unicode", "bytes", "empty"),
                new ArrayList<>(root.keySet()));
        List<?> gnd = (List<?>) root.get("gnd");
        Map<?, ?> first = (Map<?, ?>) gnd.get(0);
        assertEquals(List.of(0L, 2L, 70000L), first.get("easy"));
        assertEquals(List.of(136.5, 34.5, 648.5, 955.5), first.get("bbx"));
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) root.get("counts")).add(1L),
                "tuples are immutable");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 5})
    void numpyArraysBecomeHostTensors(int protocol) throws IOException {
        Map<?, ?> root = assertInstanceOf(Map.class, Unpickler.loadFile(Fixtures.path("numpy_p" + protocol + ".pkl")));
        JsonNode expected = Fixtures.json("numpy.expected.json").get("tensors");
        assertEquals(expected.size(), root.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            HostTensor t = assertInstanceOf(HostTensor.class, root.get(e.getKey()), e.getKey());
            Fixtures.assertTensorMatches(e.getValue(), t.withName(e.getKey()));
        }
    }

    @Test
    void everyTruncationIsAPickleError() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.path("plain_p2.pkl"));
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            PickleException e = assertThrows(PickleException.class, () -> Unpickler.plain().load(part), "cut " + cut);
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void everyProtocolZeroTruncationIsAPickleError() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.path("plain_p0.pkl"));
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            assertThrows(PickleException.class, () -> Unpickler.plain().load(part), "cut " + cut);
        }
    }

    @Test
    void loadFileNamesTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("gnd_broken.pkl");
        Files.write(file, Arrays.copyOf(Files.readAllBytes(Fixtures.path("plain_p4.pkl")), 100));
        PickleException e = assertThrows(PickleException.class, () -> Unpickler.loadFile(file));
        Fixtures.assertOneLineNaming(file, "truncated pickle", e);
    }

    @Test
    void unknownGlobalsAreNamedAndNeverCalled() {
        byte[] pickle = ascii("\u0080\u0002cos\nsystem\nX\u0002\u0000\u0000\u0000ls\u0085R.");
        PickleException e = assertThrows(PickleException.class, () -> Unpickler.plain().load(pickle));
        assertTrue(e.getMessage().startsWith("unsupported pickle global 'os.system'"), e.getMessage());
    }

    @Test
    void pythonTwoModuleNamesMapToPythonThree() {
        // GLOBAL '__builtin__ set', EMPTY_LIST, K 1, APPEND, TUPLE1, REDUCE, STOP: set([1]) from Python 2.
        byte[] pickle = ascii("\u0080\u0002c__builtin__\nset\n]K\u0001a\u0085R.");
        assertEquals(java.util.Set.of(1L), Unpickler.plain().load(pickle));
    }

    @Test
    void emptyBytesAtProtocolTwoIsACallOfBytes() {
        // pickle.dumps(b'', protocol=2): GLOBAL '__builtin__ bytes', BINPUT, EMPTY_TUPLE, REDUCE, BINPUT, STOP
        byte[] pickle = ascii("\u0080\u0002c__builtin__\nbytes\nq\u0000)Rq\u0001.");
        assertArrayEquals(new byte[0], (byte[]) Unpickler.plain().load(pickle));
    }

    @Test
    void protocolZeroSpellsInfinityAndNanInText() {
        assertEquals(Double.POSITIVE_INFINITY, Unpickler.plain().load(ascii("Finf\n.")));
        assertEquals(Double.NEGATIVE_INFINITY, Unpickler.plain().load(ascii("F-inf\n.")));
        assertTrue(Double.isNaN((Double) Unpickler.plain().load(ascii("Fnan\n."))));
        assertEquals(Boolean.TRUE, Unpickler.plain().load(ascii("I01\n.")));
        assertEquals(new BigInteger("123456789012345678901234567890"),
                Unpickler.plain().load(ascii("L123456789012345678901234567890L\n.")));
        assertEquals("a'b\n\u00e9", Unpickler.plain().load(ascii("S'a\\'b\\n\\xe9'\n.")));
    }

    @Test
    void malformedProgramsAreReported() {
        assertMessage("unknown opcode 0xff", new byte[] {(byte) 0x80, 2, (byte) 0xff});
        assertMessage("unsupported pickle protocol 9", new byte[] {(byte) 0x80, 9});
        assertMessage("memo key 7 read before written", new byte[] {'h', 7, '.'});
        assertMessage("STOP with 2 objects", new byte[] {'N', 'N', '.'});
        assertMessage("no MARK", new byte[] {'t', '.'});
        assertMessage("stack underflow", new byte[] {'(', (byte) 0x85, '.'});
        assertMessage("persistent id", new byte[] {'N', 'Q', '.'});
        assertMessage("SETITEM(S) on a list", new byte[] {']', 'N', 'N', 's', '.'});
        assertMessage("malformed number", ascii("Ixyz\n."));
        assertMessage("out-of-band", new byte[] {(byte) 0x97});
    }

    @Test
    void noneSurvivesAppendAndSetItem() {
        // EMPTY_LIST, NONE, APPEND, EMPTY_DICT, NONE, NONE, SETITEM, TUPLE2, STOP
        List<?> pair = (List<?>) Unpickler.plain().load(new byte[] {']', 'N', 'a', '}', 'N', 'N', 's', (byte) 0x86, '.'});
        assertEquals(Arrays.asList((Object) null), pair.get(0));
        Map<?, ?> map = (Map<?, ?>) pair.get(1);
        assertTrue(map.containsKey(null));
        assertNull(map.get(null));
    }

    private static void assertMessage(String needle, byte[] pickle) {
        PickleException e = assertThrows(PickleException.class, () -> Unpickler.plain().load(pickle));
        assertTrue(e.getMessage().contains(needle), "'" + e.getMessage() + "' should mention '" + needle + "'");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Compares with the JSON the fixture script wrote (see plain_pickle_expected in the script). */
    static void assertPythonEquals(JsonNode expected, Object actual, String path) {
        if (expected.isNull()) {
            assertNull(actual, path);
        } else if (expected.isBoolean()) {
            assertEquals(expected.asBoolean(), actual, path);
        } else if (expected.isIntegralNumber()) {
            assertEquals(expected.asLong(), actual, path);
        } else if (expected.isTextual()) {
            assertEquals(expected.asText(), actual, path);
        } else if (expected.isArray()) {
            List<?> list = assertInstanceOf(List.class, actual, path);
            assertEquals(expected.size(), list.size(), path + " length");
            for (int i = 0; i < list.size(); i++) {
                assertPythonEquals(expected.get(i), list.get(i), path + "[" + i + "]");
            }
        } else if (expected.size() == 1 && expected.has("bigint")) {
            assertEquals(new BigInteger(expected.get("bigint").asText()), actual, path);
        } else if (expected.size() == 1 && expected.has("float_bits")) {
            double d = assertInstanceOf(Double.class, actual, path);
            assertEquals(Long.parseUnsignedLong(expected.get("float_bits").asText(), 16),
                    Double.doubleToRawLongBits(d), path);
        } else if (expected.size() == 1 && expected.has("bytes")) {
            byte[] bytes = assertInstanceOf(byte[].class, actual, path);
            byte[] want = new byte[expected.get("bytes").size()];
            for (int i = 0; i < want.length; i++) {
                want[i] = (byte) expected.get("bytes").get(i).asInt();
            }
            assertArrayEquals(want, bytes, path);
        } else {
            Map<?, ?> map = assertInstanceOf(Map.class, actual, path);
            assertEquals(expected.size(), map.size(), path + " size");
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertTrue(map.containsKey(e.getKey()), path + " has " + e.getKey());
                assertPythonEquals(e.getValue(), map.get(e.getKey()), path + "." + e.getKey());
            }
        }
    }
}
