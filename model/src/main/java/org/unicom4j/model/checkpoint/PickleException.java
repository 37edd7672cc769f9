package org.unicom4j.model.checkpoint;

import org.unicom4j.data.InvalidInputException;

/**
 * A pickle stream this reader cannot or will not load: corrupt, truncated, or naming an unsupported global. The
 * message does not name the file; the reader that opened it adds it (see {@link CheckpointFormatException}).
 */
public final class PickleException extends InvalidInputException {
    public PickleException(String message) {
        super(message);
    }
}
