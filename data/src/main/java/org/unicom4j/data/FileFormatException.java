package org.unicom4j.data;

/**
 * A file is not what its reader expects: the wrong magic bytes, a header or line that does not parse, a size that
 * does not match its header, a dtype or shape the reader does not support. The message is one line that starts
 * with the file (and line, where there is one).
 */
public class FileFormatException extends InvalidInputException {
    public FileFormatException(String message) {
        super(message);
    }

    public FileFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
