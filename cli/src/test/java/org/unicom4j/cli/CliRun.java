package org.unicom4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** Runs {@code unicom4j} in-process with stdout and stderr captured, and the fixtures the command tests share. */
public record CliRun(int code, String out, String err) {

    public static CliRun run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Unicom4j.execute(args);
            return new CliRun(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Runs and requires exit code 0, showing stderr otherwise. */
    public static CliRun ok(String... args) {
        CliRun r = run(args);
        assertEquals(0, r.code(), () -> "unicom4j " + String.join(" ", args) + " failed: " + r.err());
        return r;
    }

    /**
     * Runs and requires exit code 2 and an error of one line, the last on stderr (progress may come before it),
     * containing every fragment; returns that line.
     */
    public static String error(String[] args, String... fragments) {
        CliRun r = run(args);
        assertEquals(2, r.code(), () -> "exit code for bad input of " + Arrays.toString(args) + "; stderr: " + r.err()
                + " stdout: " + r.out());
        String command = "unicom4j " + args[0] + ": ";
        String err = r.err().strip();
        int at = err.lastIndexOf(command);
        assertTrue(at == 0 || (at > 0 && err.charAt(at - 1) == '\n'), () -> "an error line '" + command + "...', got: "
                + r.err());
        String line = err.substring(at);
        assertEquals(1, line.lines().count(), () -> "the error is one line, got: " + line);
        for (String f : fragments) {
            assertTrue(line.contains(f), () -> "'" + f + "' in: " + line);
        }
        return line;
    }

    /** A file or folder under the test resources' {@code fixtures/}. */
    public static Path fixture(String name) {
        try {
            return Path.of(CliRun.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing test fixture " + name, e);
        }
    }

    public static String[] args(String... args) {
        return args;
    }
}
