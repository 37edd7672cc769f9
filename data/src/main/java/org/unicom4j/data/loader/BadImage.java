package org.unicom4j.data.loader;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.unicom4j.data.image.InvalidImageException;

/**
 * An item that could not be loaded: where it is and why.
 *
 * @param epoch  the epoch it was met in
 * @param index  its index in the data set
 * @param source its path (or file and position)
 * @param reason the one-line error, without the source
 */
public record BadImage(int epoch, int index, String source, String reason) {

    /** Why loading failed, in one line that does not repeat the file (the source is shown beside it). */
    public static String reasonOf(Exception e) {
        String reason = switch (e) {
            case InvalidImageException bad -> bad.reason();
            case NoSuchFileException missing -> "file not found";
            case AccessDeniedException denied -> "permission denied";
            case FileSystemException fs -> fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
            case IOException io when io.getMessage() != null -> io.getMessage();
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
        return reason.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    @Override
    public String toString() {
        return source + ": " + reason;
    }
}
