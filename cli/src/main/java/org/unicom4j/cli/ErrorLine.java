package org.unicom4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.unicom4j.data.InvalidInputException;
import picocli.CommandLine;

/** Bad input as one line on stderr, {@code unicom4j <command>: <what>}, and exit code 2. */
final class ErrorLine {
    static final int BAD_INPUT = 2;

    private ErrorLine() {
    }

    /** Whether {@code e} is the user's input being wrong (a file, an option, a checkpoint), not a bug. */
    static boolean isBadInput(Throwable e) {
        return e instanceof InvalidInputException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException
                || e instanceof IOException || e instanceof UncheckedIOException;
    }

    /** The message on one line; file-system errors name the file and what went wrong with it. */
    static String of(Throwable e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        String text;
        if (t instanceof NoSuchFileException f) {
            text = f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "no such file");
        } else if (t instanceof AccessDeniedException f) {
            text = f.getFile() + ": permission denied";
        } else if (t instanceof FileSystemException f && f.getReason() != null) {
            text = f.getFile() + ": " + f.getReason();
        } else {
            text = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        }
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    static int print(CommandLine commandLine, Throwable e) {
        commandLine.getErr().println(prefix(commandLine) + of(e));
        return BAD_INPUT;
    }

    /** {@code "unicom4j embed: "}, or {@code "unicom4j: "} for the top-level command. */
    private static String prefix(CommandLine c) {
        return c.getParent() == null ? "unicom4j: " : "unicom4j " + c.getCommandName() + ": ";
    }

    /** An unknown option, a missing value and the like: one line pointing at --help, not the whole usage. */
    static int printUsageError(CommandLine.ParameterException e) {
        CommandLine c = e.getCommandLine();
        c.getErr().println(prefix(c) + of(e) + " (see --help)");
        return BAD_INPUT;
    }
}
