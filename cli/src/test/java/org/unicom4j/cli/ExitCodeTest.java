package org.unicom4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.cli.CliRun.args;
import static org.unicom4j.cli.CliRun.error;
import static org.unicom4j.cli.CliRun.fixture;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.DeviceException;
import picocli.CommandLine;

/**
 * Each exit code from the command line, decided by the exception's type: 2 bad input (ours, the JDK's file errors,
 * picocli's), 3 a device failure with its hint, 1 a bug with its stack trace (4, divergence: TrainCommandTest). No
 * command path throws a DeviceException without a failing device, so 3 and 1 are checked on {@link ErrorLine} with
 * the real command tree.
 */
class ExitCodeTest {
    @TempDir
    Path dir;

    @Test
    void badInputIsTwo() throws IOException {
        Path notNpy = dir.resolve("features.npy");
        Files.writeString(notNpy, "PK not an npy file");
        assertEquals("unicom4j cluster: " + notNpy + ": not a .npy file (magic 50 4b 20 6e 6f 74, expected 93 4e 55 "
                + "4d 50 59 = \\x93NUMPY)", error(args("cluster", notNpy.toString(), "-k", "2", "--out",
                dir.resolve("c").toString(), "--backend", "cpu")));
        Path six = dir.resolve("six.npy");
        NpyArray.ofFloats(new float[12], 6, 2).write(six);
        error(args("cluster", six.toString(), "-k", "7", "--out", dir.resolve("c").toString(), "--backend", "cpu"),
                "6 points for k = 7");
        error(args("convert", fixture("tiny_vit_expected.npy").toString(), dir.resolve("x.safetensors").toString()),
                "tiny_vit_expected.npy: neither a torch.save archive nor a safetensors file");
        error(args("convert", dir.resolve("absent.pt").toString()), "absent.pt");
        error(args("search", "--index", dir.toString(), fixture("images/a/a0.png").toString(), "--random-weights",
                "--model", "tiny"), "no Lucene index");
        error(args("embed", "--folder", fixture("images").toString(), "--random-weights", "--model", "tiny",
                "--backend", "nope"), "--backend nope: unknown backend 'nope'");
        error(args("eval", "--ks", "x"), "--ks", "(see --help)");
    }

    @Test
    void aDeviceFailureIsThreeWithAHint() {
        Printed p = print(new DeviceException("OpenCL error CL_OUT_OF_RESOURCES (-5) in clEnqueueNDRangeKernel"));
        assertEquals(3, p.code());
        assertEquals(List.of("unicom4j embed: OpenCL error CL_OUT_OF_RESOURCES (-5) in clEnqueueNDRangeKernel ("
                + ErrorLine.DEVICE_HINT + ")"), p.lines());
    }

    @Test
    void aBugIsOneWithItsStackTraceAndASummaryLast() {
        Printed p = print(new IllegalStateException("activation arena already allocated"));
        assertEquals(1, p.code());
        assertTrue(p.lines().getFirst().startsWith("java.lang.IllegalStateException: activation arena"), p.text());
        assertTrue(p.lines().stream().anyMatch(l -> l.startsWith("\tat org.unicom4j.cli.ExitCodeTest")), p.text());
        assertEquals("unicom4j embed: internal error (a bug in unicom4j; please report it with the stack trace above): "
                + "IllegalStateException: activation arena already allocated", p.lines().getLast());
    }

    @Test
    void theTypeInTheCauseChainDecidesNotTheWrapper() {
        // a worker thread's failure rethrown by its consumer: the file error inside is still the user's
        var wrapped = new IllegalStateException("building a batch failed", new UncheckedIOException(
                new AccessDeniedException("imgs/a.png")));
        Printed p = print(wrapped);
        assertEquals(2, p.code());
        assertEquals(List.of("unicom4j embed: imgs/a.png: permission denied"), p.lines());
        assertEquals(2, print(new InvalidInputException("x", new IllegalArgumentException("y"))).code());
        assertEquals(1, print(new IllegalArgumentException("a caller's bug")).code());
    }

    @Test
    void helpListsTheExitCodes() {
        for (String command : new String[] {"--help", "train --help", "embed --help"}) {
            String out = CliRun.ok(command.split(" ")).out();
            assertTrue(out.contains("Exit codes:") && out.contains("  2   bad input") && out.contains("  4   training "
                    + "diverged"), out);
        }
    }

    private record Printed(int code, String text) {
        List<String> lines() {
            return text.lines().toList();
        }
    }

    /** ErrorLine on the real {@code embed} command, its stderr captured. */
    private static Printed print(Throwable e) {
        CommandLine embed = new CommandLine(new Unicom4j()).getSubcommands().get("embed");
        StringWriter err = new StringWriter();
        embed.setErr(new PrintWriter(err));
        int code = ErrorLine.print(embed, e);
        return new Printed(code, err.toString());
    }
}
