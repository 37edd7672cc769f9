package org.unicom4j.data.loader;

import org.unicom4j.data.InvalidInputException;

/**
 * Thrown by a {@link BadImagePolicy#STOP} loader at the first bad image; the message is
 * {@code "<source>: <reason>"}, naming the file once.
 */
public final class BadImageException extends InvalidInputException {
    private final transient BadImage badImage;

    public BadImageException(BadImage badImage, Throwable cause) {
        super(badImage.toString(), cause);
        this.badImage = badImage;
    }

    public BadImage badImage() {
        return badImage;
    }
}
