package org.unicom4j.data.assemble;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;
import org.unicom4j.data.dataset.FileImageDataset;
import org.unicom4j.data.dataset.ImageDataset;
import org.unicom4j.data.io.AtomicFile;
import org.unicom4j.data.io.FileTrees;

/**
 * Writes an {@link AssembledSet} as one CSV, {@code img_path,label} per image (paths relative to the CSV's folder
 * when the image is inside it, absolute otherwise; quoted when they hold a comma or a quote, as
 * {@link org.unicom4j.data.dataset.CsvManifest} reads them). Images that exist only inside a data file (IDX) are
 * written as PNG files under {@code imagesDir/<source name>/<item>.png} first: into a temporary sibling folder that
 * is renamed into place once every image is written, then the CSV atomically, so a failure leaves neither half
 * written.
 */
public final class AssembledSetWriter {
    private AssembledSetWriter() {
    }

    public static void write(AssembledSet set, Path csv, Path imagesDir) throws IOException {
        Path base = csv.toAbsolutePath().getParent();
        boolean exports = set.entries().stream().anyMatch(e -> set.summaries().get(e.source()).spec().kind()
                .inMemory());
        Path images = imagesDir.toAbsolutePath();
        if (exports && Files.exists(images)) {
            throw new FileAlreadyExistsException(images.toString(), null, "the image folder of the IDX sources "
                    + "exists; remove it or give another --images-dir");
        }
        List<String> paths = new ArrayList<>(set.entries().size());
        Path temp = exports ? Files.createDirectories(images.resolveSibling("." + images.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()))) : null;
        try {
            for (AssembledSet.Entry e : set.entries()) {
                SourceSpec spec = set.summaries().get(e.source()).spec();
                ImageDataset data = set.datasets().get(e.source());
                Path file;
                if (spec.kind().inMemory()) {
                    String name = String.format("%06d.png", e.item());
                    writePng(data, e.item(), Files.createDirectories(temp.resolve(spec.name())).resolve(name));
                    file = images.resolve(spec.name()).resolve(name);
                } else {
                    file = ((FileImageDataset) data).items().get(e.item()).path().toAbsolutePath();
                }
                paths.add(file.startsWith(base) ? base.relativize(file).toString() : file.toString());
            }
            if (exports) {
                Files.move(temp, images, StandardCopyOption.ATOMIC_MOVE);
                temp = null;
            }
        } finally {
            if (temp != null) {
                FileTrees.deleteIfExists(temp);
            }
        }
        StringBuilder text = new StringBuilder("img_path,label\n");
        for (int i = 0; i < paths.size(); i++) {
            text.append(quote(paths.get(i))).append(',').append(set.entries().get(i).label()).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(csv, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    private static void writePng(ImageDataset data, int item, Path file) throws IOException {
        if (!ImageIO.write(data.load(item).toBufferedImage(), "png", file.toFile())) {
            throw new IOException(file + ": no PNG writer");
        }
    }

    private static String quote(String path) {
        return path.contains(",") || path.contains("\"") ? "\"" + path.replace("\"", "\"\"") + "\"" : path;
    }
}
