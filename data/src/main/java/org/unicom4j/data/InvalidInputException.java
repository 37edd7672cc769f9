package org.unicom4j.data;

/**
 * The user's input is wrong: a file that is missing, corrupt or of the wrong shape, an option out of range,
 * a config that contradicts itself. The message is one line naming the file, key or option and what was
 * expected; the command line prints it and exits with 2. Subclasses say which kind of input.
 */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
