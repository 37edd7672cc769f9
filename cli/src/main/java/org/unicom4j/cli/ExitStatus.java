package org.unicom4j.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.DeviceException;
import org.unicom4j.training.trainer.TrainingDivergedException;
import picocli.CommandLine;

/**
 * The command's exit codes. The status of a failed command follows from the TYPE of the exception that ended it
 * (never from its message): the first exception in its cause chain of a known type decides, so a worker thread's
 * wrapper does not hide what went wrong. Listed in every command's {@code --help} and in the README.
 */
enum ExitStatus {
    OK(0, "success"),
    INTERNAL_ERROR(1, "internal error: a bug in unicom4j; the stack trace, then one line (please report both)"),
    BAD_INPUT(2, "bad input: a missing, unreadable or malformed file, a wrong shape, a bad option or config "
            + "value; one line naming it"),
    DEVICE_FAILURE(3, "device or driver failure (OpenCL); one line and a hint (--backend cpu, 'clinfo -l')"),
    TRAINING_DIVERGED(4, "training diverged (a NaN or infinite loss); one line naming the last good checkpoint");

    /** Cause chains are short; this only guards against a cycle. */
    private static final int MAX_CAUSES = 32;

    final int code;
    final String meaning;

    ExitStatus(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The exception in {@code e}'s cause chain that decides the status: the first of a known type, else {@code e}. */
    static Throwable decisive(Throwable e) {
        Throwable t = e;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (known(t) != null) {
                return t;
            }
        }
        return e;
    }

    /** How a command that threw {@code e} ends. */
    static ExitStatus of(Throwable e) {
        ExitStatus s = known(decisive(e));
        return s != null ? s : INTERNAL_ERROR;
    }

    /**
     * The status a type stands for, or null. The JDK's file errors (NoSuchFileException, AccessDeniedException, any
     * other IOException: a disk that is full, a file that ends early) are the user's input or environment; an
     * IllegalArgumentException or IllegalStateException that gets this far is a caller's bug.
     */
    private static ExitStatus known(Throwable t) {
        return switch (t) {
            case TrainingDivergedException d -> TRAINING_DIVERGED;
            case DeviceException d -> DEVICE_FAILURE;
            case InvalidInputException i -> BAD_INPUT;
            case IOException io -> BAD_INPUT;
            case CommandLine.ParameterException p -> BAD_INPUT;
            default -> null;
        };
    }

    /** The exit-code list of {@code --help}. */
    static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitStatus s : values()) {
            list.put(Integer.toString(s.code), s.meaning);
        }
        return list;
    }
}
