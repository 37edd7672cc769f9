package org.unicom4j.spark.embed;

import java.io.Serializable;
import org.unicom4j.data.loader.BadImagePolicy;

/**
 * How the executors embed: the model, the backend it runs on, images per forward pass, the pixel limit checked
 * before decoding, and what a bad image does.
 */
public record EmbedSettings(ModelSpec model, String backend, int batch, long maxImagePixels, BadImagePolicy onBadImage)
        implements Serializable {

    public EmbedSettings {
        if (batch < 1 || maxImagePixels < 1) {
            throw new IllegalArgumentException("embed settings: batch " + batch + ", max image pixels "
                    + maxImagePixels + "; expected both >= 1");
        }
    }
}
