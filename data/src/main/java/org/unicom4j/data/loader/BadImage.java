package org.unicom4j.data.loader;

/**
 * An item that could not be loaded: where it is and why.
 *
 * @param epoch  the epoch it was met in
 * @param index  its index in the data set
 * @param source its path (or file and position)
 * @param reason the one-line error
 */
public record BadImage(int epoch, int index, String source, String reason) {
    @Override
    public String toString() {
        return source + ": " + reason;
    }
}
