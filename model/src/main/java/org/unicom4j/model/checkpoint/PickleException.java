package org.unicom4j.model.checkpoint;

/** A pickle stream this reader cannot or will not load: corrupt, truncated, or naming an unsupported global. */
public final class PickleException extends IllegalArgumentException {
    public PickleException(String message) {
        super(message);
    }
}
