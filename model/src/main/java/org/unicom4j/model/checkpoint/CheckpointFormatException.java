package org.unicom4j.model.checkpoint;

import java.nio.file.Path;
import org.unicom4j.data.FileFormatException;

/**
 * A checkpoint file that cannot be read as what it claims to be: truncated, corrupt, or using a feature this
 * reader does not support. The message is one line that starts with the file.
 */
public final class CheckpointFormatException extends FileFormatException {
    public CheckpointFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public CheckpointFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
