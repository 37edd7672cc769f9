package org.unicom4j.data.image;

import org.unicom4j.data.InvalidInputException;

/**
 * An image that cannot be decoded (not an image, corrupt, truncated) or that the decoder refuses (more pixels than
 * its limit). The message is {@code "<source>: <reason>"}; {@link #reason()} alone is for lists that show the source
 * beside it.
 */
public final class InvalidImageException extends InvalidInputException {
    private final String source;
    private final String reason;

    public InvalidImageException(String source, String reason) {
        this(source, reason, null);
    }

    public InvalidImageException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.source = source;
        this.reason = reason;
    }

    /** The file (or other name) the image came from. */
    public String source() {
        return source;
    }

    /** What is wrong with it, without the source. */
    public String reason() {
        return reason;
    }
}
