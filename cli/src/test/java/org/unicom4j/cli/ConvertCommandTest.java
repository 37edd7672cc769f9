package org.unicom4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.cli.CliRun.args;
import static org.unicom4j.cli.CliRun.error;
import static org.unicom4j.cli.CliRun.fixture;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.model.checkpoint.SafetensorsReader;
import org.unicom4j.model.checkpoint.StateDict;

/** {@code unicom4j convert}: the output beside the input by default, and a refusal to overwrite the input. */
class ConvertCommandTest {
    @Test
    void writesSafetensorsBesideTheInputByDefault(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("weights.pt");
        Files.copy(fixture("tiny_vit_fp16.pt"), input);
        CliRun r = CliRun.ok("convert", input.toString());
        Path output = dir.resolve("weights.safetensors");
        assertTrue(r.out().startsWith(input + " -> " + output + ": "), r.out());
        try (StateDict converted = SafetensorsReader.read(output)) {
            assertEquals("weights.pt", converted.metadata().get("converted_from"));
        }
        assertEquals("unicom4j convert: " + input + ": the output would overwrite the input",
                error(args("convert", input.toString(), input.toString())));
    }
}
