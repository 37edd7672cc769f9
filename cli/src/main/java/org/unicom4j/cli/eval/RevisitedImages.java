package org.unicom4j.cli.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.dataset.ImageDataset;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.image.PixelImage;
import org.unicom4j.retrieval.metrics.RevisitedQuery;

/**
 * The images of a revisited Oxford/Paris ground truth, as revisitop lays them out: {@code <dir>/<name>.jpg} for
 * every name of {@code imlist} (the database) and {@code qimlist} (the queries, each cropped to its {@code bbx}).
 */
final class RevisitedImages {
    private RevisitedImages() {
    }

    static ImageSource database(RevisitedGroundTruth gnd, Path dir, long maxImagePixels) {
        List<Path> files = new ArrayList<>();
        for (String name : gnd.imlist()) {
            files.add(dir.resolve(name + ".jpg"));
        }
        return source(new Files(files, null, maxImagePixels), files, "database", gnd.name() + " database");
    }

    static ImageSource queries(RevisitedGroundTruth gnd, Path dir, long maxImagePixels) {
        List<Path> files = new ArrayList<>();
        for (String name : gnd.qimlist()) {
            files.add(dir.resolve(name + ".jpg"));
        }
        return source(new Files(files, gnd.queries(), maxImagePixels), files, "query",
                gnd.name() + " queries (cropped)");
    }

    private static ImageSource source(ImageDataset dataset, List<Path> files, String split, String description) {
        List<String> ids = files.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
        return new ImageSource(dataset, ids, Collections.nCopies(files.size(), split), description);
    }

    /**
     * A query's crop as Pillow's {@code Image.crop(bbx)} takes it (revisitop's example code): each coordinate
     * rounded half to even, as Python's {@code round}; parts outside the image are black.
     */
    static PixelImage crop(PixelImage image, double[] bbx, String name) {
        int x0 = (int) Math.rint(bbx[0]), y0 = (int) Math.rint(bbx[1]);
        int x1 = (int) Math.rint(bbx[2]), y1 = (int) Math.rint(bbx[3]);
        if (x1 <= x0 || y1 <= y0) {
            throw new InvalidInputException(name + ": query box (" + bbx[0] + ", " + bbx[1] + ", " + bbx[2] + ", "
                    + bbx[3] + ") is empty; expected x1 < x2 and y1 < y2");
        }
        return image.crop(x0, y0, x1 - x0, y1 - y0);
    }

    /** Image files with no classes (label 0); cropped to their query boxes when {@code boxes} is given. */
    private record Files(List<Path> files, List<RevisitedQuery> boxes, long maxImagePixels) implements ImageDataset {
        @Override
        public int size() {
            return files.size();
        }

        @Override
        public int label(int index) {
            return 0;
        }

        @Override
        public String describe(int index) {
            return files.get(index).toString();
        }

        @Override
        public PixelImage load(int index) throws IOException {
            PixelImage image = ImageDecoder.decode(files.get(index), maxImagePixels);
            double[] bbx = boxes == null ? null : boxes.get(index).bbox();
            return bbx == null ? image : crop(image, bbx, files.get(index).toString());
        }

        @Override
        public List<String> classNames() {
            return List.of("-");
        }
    }
}
