package org.unicom4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;

/** Conversion to safetensors: tensors, dtypes, prefixes, metadata, and bad input (the command's exit codes: cli). */
class CheckpointConverterTest {
    @TempDir
    Path dir;

    @Test
    void convertsKeepingDtypesAndStrippingPrefixes() throws IOException {
        Path input = Fixtures.path("mixed.pt");
        Path output = dir.resolve("mixed.safetensors");
        String line = CheckpointConverter.convert(input, output, true).describe();
        assertEquals(input + " -> " + output + ": 15 tensors (BOOL 1, U8 1, I32 1, I64 1, F16 4, BF16 1, F32 5, "
                + "F64 1), 107 values; stripped prefix 'module.' from all 15 names", line);
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
        assertTrue(CheckpointConverter.convert(Fixtures.path("nested.pt"), output, false).describe()
                .contains("['state_dict'] -> "));
        try (StateDict sd = SafetensorsReader.read(output)) {
            Fixtures.assertMatchesExpected("nested", sd, name -> name);
            assertFalse(sd.metadata().containsKey("stripped_prefixes"));
        }
    }

    @Test
    void defaultOutputSitsNextToTheInput() {
        assertEquals(Path.of("models/weights.safetensors"),
                CheckpointConverter.defaultOutput(Path.of("models/weights.pt")));
    }

    @Test
    void badInputIsOneLineNamingTheFileAndWritesNothing() throws IOException {
        Path output = dir.resolve("x.safetensors");
        Path truncated = Fixtures.path("mixed_truncated.pt");
        var e = assertThrows(CheckpointFormatException.class, () -> CheckpointConverter.convert(truncated, output, true));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith(truncated.toString()) && e.getMessage().contains("truncated"),
                e.getMessage());
        assertFalse(Files.exists(output));
        Path same = dir.resolve("same.safetensors");
        var overwrite = assertThrows(InvalidInputException.class, () -> CheckpointConverter.convert(same, same, true));
        assertEquals(same + ": the output would overwrite the input", overwrite.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing half-written");
        }
    }
}
