package org.unicom4j.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * How a failed command reports: one line on stderr, {@code unicom4j <command>: <what>}, and the exit code of its
 * {@link ExitStatus}. A device failure adds a hint to the line; an internal error (a bug) prints the stack trace
 * first, so the last line is still the summary and the trace is there to report.
 */
final class ErrorLine {
    static final String DEVICE_HINT = "device failure: retry with --backend cpu, or check the OpenCL driver with "
            + "'clinfo -l'";

    private ErrorLine() {
    }

    /** Prints what ended {@code commandLine}'s command and returns its exit code. */
    static int print(CommandLine commandLine, Throwable e) {
        ExitStatus status = ExitStatus.of(e);
        PrintWriter err = commandLine.getErr();
        String prefix = prefix(commandLine);
        switch (status) {
            case INTERNAL_ERROR -> {
                e.printStackTrace(err);
                err.println(prefix + "internal error (a bug in unicom4j; please report it with the stack trace "
                        + "above): " + e.getClass().getSimpleName() + ": " + of(e));
            }
            case DEVICE_FAILURE -> err.println(prefix + of(ExitStatus.decisive(e)) + " (" + DEVICE_HINT + ")");
            default -> err.println(prefix + of(ExitStatus.decisive(e)));
        }
        err.flush();
        return status.code;
    }

    /** An unknown option, a missing value and the like: one line pointing at --help, not the whole usage. */
    static int printUsageError(CommandLine.ParameterException e) {
        CommandLine c = e.getCommandLine();
        c.getErr().println(prefix(c) + of(e) + " (see --help)");
        return ExitStatus.BAD_INPUT.code;
    }

    /** The message on one line; file-system errors name the file and what went wrong with it. */
    static String of(Throwable t) {
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

    /** {@code "unicom4j embed: "}, or {@code "unicom4j: "} for the top-level command. */
    private static String prefix(CommandLine c) {
        return c.getParent() == null ? "unicom4j: " : "unicom4j " + c.getCommandName() + ": ";
    }
}
