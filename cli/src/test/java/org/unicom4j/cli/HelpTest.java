package org.unicom4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every subcommand answers --help on stdout with exit code 0, naming its main options. */
class HelpTest {

    @ParameterizedTest
    @CsvSource({"embed,--weights", "cluster,--text", "index,--commit-every", "search,--index", "eval,--protocol",
            "embed,--backend", "cluster,--backend", "index,--backend", "search,--backend", "eval,--backend"})
    void helpNamesTheOptions(String command, String option) {
        CliRun r = CliRun.ok(command, "--help");
        assertTrue(r.out().startsWith("Usage: unicom4j " + command) && r.out().contains(option), r.out());
    }
}
