package org.unicom4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The convert command: output, messages and exit codes. */
class CheckpointConverterTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CheckpointConverter.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void convertsKeepingDtypesAndStrippingPrefixes() throws IOException {
        Path input = Fixtures.path("mixed.pt");
        Path output = dir.resolve("mixed.safetensors");
        assertEquals(0, run(input.toString(), output.toString()));
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertEquals(input + " -> " + output + ": 15 tensors (BOOL 1, U8 1, I32 1, I64 1, F16 4, BF16 1, F32 5, "
                + "F64 1), 107 values; stripped prefix 'module.' from all 15 names", line);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        try (StateDict sd = SafetensorsReader.read(output)) {
            Fixtures.assertMatchesExpected("mixed", sd, name -> name.substring("module.".length()));
            assertEquals("module.", sd.metadata().get("stripped_prefixes"));
            assertEquals("mixed.pt", sd.metadata().get("converted_from"));
            assertEquals("pt", sd.metadata().get("format"));
        }
    }

    @Test
    void keepPrefixesKeepsNamesAndNestedDictsAreFound() throws IOException {
        Path output = dir.resolve("nested.safetensors");
        assertEquals(0, run(Fixtures.path("nested.pt").toString(), output.toString(), "--keep-prefixes"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("['state_dict'] -> "));
        try (StateDict sd = SafetensorsReader.read(output)) {
            Fixtures.assertMatchesExpected("nested", sd, name -> name);
            assertFalse(sd.metadata().containsKey("stripped_prefixes"));
        }
    }

    @Test
    void defaultOutputSitsNextToTheInput() throws IOException {
        Path input = dir.resolve("weights.pt");
        Files.copy(Fixtures.path("nested.pt"), input);
        assertEquals(0, run(input.toString()));
        assertTrue(Files.exists(dir.resolve("weights.safetensors")));
    }

    @Test
    void badInputGivesOneLineAndNoOutput() throws IOException {
        Path output = dir.resolve("x.safetensors");
        Path truncated = Fixtures.path("mixed_truncated.pt");
        assertEquals(1, run(truncated.toString(), output.toString()));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith(truncated.toString()) && message.contains("truncated"), message);
        assertFalse(Files.exists(output));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing half-written");
        }
    }

    @Test
    void missingFileAndBadUsage() {
        Path missing = dir.resolve("absent.pt");
        assertEquals(1, run(missing.toString()));
        assertEquals(missing + ": no such file", err.toString(StandardCharsets.UTF_8).strip());
        err.reset();
        assertEquals(2, run());
        assertEquals(CheckpointConverter.USAGE, err.toString(StandardCharsets.UTF_8).strip());
        err.reset();
        assertEquals(2, run("--frobnicate", "a.pt"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("unknown option --frobnicate"));
        err.reset();
        Path same = dir.resolve("same.safetensors");
        assertEquals(1, run(same.toString(), same.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("would overwrite the input"));
    }
}
