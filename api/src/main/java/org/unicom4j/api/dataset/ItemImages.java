package org.unicom4j.api.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.idx.IdxArray;
import org.unicom4j.data.idx.IdxType;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.image.PixelImage;

/**
 * Decodes an indexed item by the id {@link ImageSource} gave it: an image file's path, or {@code file#n} for image n of
 * an IDX file (each IDX file read once and kept). Safe to use from several threads.
 */
public final class ItemImages {
    private static final Pattern IDX_ITEM = Pattern.compile("(.+)#(\\d+)");
    private final Map<Path, IdxArray> idxFiles = new ConcurrentHashMap<>();
    private final long maxImagePixels;

    /** Image files are decoded with this pixel limit. */
    public ItemImages(long maxImagePixels) {
        this.maxImagePixels = maxImagePixels;
    }

    /** The image {@code id} names. */
    public PixelImage load(String id) throws IOException {
        Matcher m = IDX_ITEM.matcher(id);
        if (m.matches() && Files.isRegularFile(Path.of(m.group(1))) && !Files.isRegularFile(Path.of(id))) {
            return idxImage(Path.of(m.group(1)), Integer.parseInt(m.group(2)), id);
        }
        return ImageDecoder.decode(Path.of(id), maxImagePixels);
    }

    private PixelImage idxImage(Path file, int index, String id) throws IOException {
        IdxArray a;
        try {
            a = idxFiles.computeIfAbsent(file, f -> {
                try {
                    return IdxArray.read(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        int[] d = a.dims();
        if (a.type() != IdxType.UNSIGNED_BYTE || d.length != 3 || index >= d[0]) {
            throw new InvalidInputException(id + ": not an image of " + file + " (" + a.type() + " "
                    + Arrays.toString(d) + ")");
        }
        int n = d[1] * d[2];
        return new PixelImage(d[2], d[1], 1, Arrays.copyOfRange(a.data(), index * n, (index + 1) * n));
    }
}
