package org.unicom4j.model.checkpoint;

import org.unicom4j.data.InvalidInputException;

/**
 * A state dict that reads fine but does not hold what is asked of it: a missing or unexpected tensor, or one of
 * another shape than the model needs (weights for another model, or another input size). The message is one line
 * naming the key, the shape found and the shape expected, and the file where the reader knows it.
 */
public final class StateDictMismatchException extends InvalidInputException {
    public StateDictMismatchException(String message) {
        super(message);
    }

    public StateDictMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
