package org.unicom4j.cli.options;

import java.util.Locale;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.loader.BadImagePolicy;
import picocli.CommandLine.Option;

/**
 * {@code --on-bad-image} and {@code --max-image-pixels}: what a command that reads image files does with one that
 * cannot be decoded, or whose header declares more pixels than the limit (refused before decoding, so a
 * decompression bomb costs neither the time nor the memory of decoding it).
 */
public final class BadImageOptions {

    @Option(names = "--on-bad-image", defaultValue = "skip", paramLabel = "skip|stop",
            description = "skip an image that cannot be decoded or is over --max-image-pixels (reported on "
                    + "stderr) or stop at it with exit code 2 (default: ${DEFAULT-VALUE})")
    String onBadImage = "skip";

    @Option(names = "--max-image-pixels", defaultValue = "" + ImageDecoder.DEFAULT_MAX_PIXELS, paramLabel = "N",
            description = "refuse an image whose header declares more than N pixels (width x height) before "
                    + "decoding it, as a bad image; the default is Pillow's MAX_IMAGE_PIXELS "
                    + "(default: ${DEFAULT-VALUE})")
    long maxImagePixels = ImageDecoder.DEFAULT_MAX_PIXELS;

    /** {@code skip} or {@code stop}. */
    public BadImagePolicy policy() {
        return switch (onBadImage.toLowerCase(Locale.ROOT)) {
            case "skip" -> BadImagePolicy.SKIP;
            case "stop" -> BadImagePolicy.STOP;
            default -> throw new InvalidInputException("--on-bad-image '" + onBadImage + "': expected skip or stop");
        };
    }

    /** The pixel limit, at least 1. */
    public long maxImagePixels() {
        if (maxImagePixels < 1) {
            throw new InvalidInputException("--max-image-pixels must be >= 1, got " + maxImagePixels);
        }
        return maxImagePixels;
    }
}
