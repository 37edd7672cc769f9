package org.unicom4j.data.loader;

/** Thrown by a {@link BadImagePolicy#STOP} loader at the first bad image; the message names it. */
public final class BadImageException extends IllegalStateException {
    private final transient BadImage badImage;

    public BadImageException(BadImage badImage, Throwable cause) {
        super("bad image " + badImage.source() + " (item " + badImage.index() + ", epoch " + badImage.epoch()
                + "): " + badImage.reason(), cause);
        this.badImage = badImage;
    }

    public BadImage badImage() {
        return badImage;
    }
}
