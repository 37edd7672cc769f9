package org.unicom4j.cli.options;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.dataset.CsvManifest;
import org.unicom4j.data.dataset.Cub200;
import org.unicom4j.data.dataset.FileImageDataset;
import org.unicom4j.data.dataset.IdxImageDataset;
import org.unicom4j.data.dataset.ImageFolder;
import org.unicom4j.data.dataset.InShopClothes;
import org.unicom4j.data.dataset.LabeledFile;
import org.unicom4j.data.dataset.QueryGallerySplit;
import org.unicom4j.data.dataset.StanfordOnlineProducts;
import org.unicom4j.data.dataset.TrainTestSplit;
import picocli.CommandLine.Option;

/** Where labelled images come from: exactly one of an ImageFolder, a CSV manifest, a benchmark, or an IDX pair. */
public final class ImageSourceOptions {

    @Option(names = "--folder", paramLabel = "DIR", description = "an ImageFolder tree: DIR/<class>/<image>")
    Path folder;

    @Option(names = "--csv", paramLabel = "FILE", description = "a CSV manifest of 'path,label' lines")
    Path csv;

    @Option(names = "--cub", paramLabel = "DIR", description = "CUB-200-2011 root (images.txt, image_class_labels.txt)")
    Path cub;

    @Option(names = "--sop", paramLabel = "DIR", description = "Stanford Online Products root (Ebay_test.txt)")
    Path sop;

    @Option(names = "--inshop", paramLabel = "DIR", description = "In-shop Clothes root (list_eval_partition.txt)")
    Path inshop;

    @Option(names = "--idx", arity = "2", paramLabel = "FILE",
            description = "an IDX image file and its label file (MNIST, Fashion-MNIST; gzipped or not)")
    Path[] idx;

    @Option(names = "--split", paramLabel = "NAME",
            description = "benchmark split: train or test for --cub/--sop (default test); train, query, gallery or "
                    + "query,gallery for --inshop (default query,gallery)")
    String split;

    @Option(names = "--limit", paramLabel = "N", description = "only the first N images")
    Integer limit;

    /** Whether any image source was named. */
    public boolean given() {
        return count() > 0;
    }

    private int count() {
        return (folder != null ? 1 : 0) + (csv != null ? 1 : 0) + (cub != null ? 1 : 0) + (sop != null ? 1 : 0)
                + (inshop != null ? 1 : 0) + (idx != null ? 1 : 0);
    }

    /** True when the images are files named by path (every source but --idx). */
    public boolean areFiles() {
        return idx == null;
    }

    /** True for a benchmark that is evaluated query against gallery (In-shop). */
    public boolean isQueryGallery() {
        return inshop != null;
    }

    /** The named images; image files are decoded with {@code maxImagePixels} as the pixel limit. */
    public ImageSource open(long maxImagePixels) throws IOException {
        if (count() != 1) {
            throw new InvalidInputException((count() == 0 ? "no images" : "several image sources") + ": give "
                    + "exactly one of --folder, --csv, --cub, --sop, --inshop, --idx");
        }
        if (split != null && cub == null && sop == null && inshop == null) {
            throw new InvalidInputException("--split applies to --cub, --sop and --inshop only");
        }
        if (limit != null && limit < 1) {
            throw new InvalidInputException("--limit must be >= 1, got " + limit);
        }
        ImageSource source = read(maxImagePixels);
        return limit == null ? source : source.first(limit);
    }

    private ImageSource read(long maxImagePixels) throws IOException {
        if (folder != null) {
            return files(ImageFolder.read(folder).withMaxImagePixels(maxImagePixels), "", "ImageFolder " + folder);
        }
        if (csv != null) {
            return csv(csv, maxImagePixels);
        }
        if (cub != null) {
            return trainTest(Cub200.read(cub).withMaxImagePixels(maxImagePixels), "CUB-200-2011");
        }
        if (sop != null) {
            return trainTest(StanfordOnlineProducts.read(sop).withMaxImagePixels(maxImagePixels),
                    "Stanford Online Products");
        }
        if (inshop != null) {
            return inShop(InShopClothes.read(inshop).withMaxImagePixels(maxImagePixels));
        }
        return idx(idx[0], idx[1]);
    }

    private ImageSource trainTest(TrainTestSplit split, String name) {
        String s = this.split == null ? "test" : this.split.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "train" -> files(split.train(), "train", name + " train");
            case "test" -> files(split.test(), "test", name + " test");
            default -> throw new InvalidInputException("--split '" + this.split + "' for " + name
                    + ": expected train or test");
        };
    }

    private ImageSource inShop(QueryGallerySplit split) {
        String s = this.split == null ? "query,gallery" : this.split.toLowerCase(Locale.ROOT).replace(" ", "");
        return switch (s) {
            case "train" -> files(split.train(), "train", "In-shop train");
            case "query" -> files(split.query(), "query", "In-shop query");
            case "gallery" -> files(split.gallery(), "gallery", "In-shop gallery");
            case "query,gallery" -> {
                // Query and gallery share one item numbering, so one data set can hold both.
                List<LabeledFile> items = new ArrayList<>(split.query().items());
                items.addAll(split.gallery().items());
                List<String> splits = new ArrayList<>();
                split.query().items().forEach(f -> splits.add("query"));
                split.gallery().items().forEach(f -> splits.add("gallery"));
                FileImageDataset both = new FileImageDataset(items, split.query().classNames())
                        .withMaxImagePixels(split.query().maxImagePixels());
                yield new ImageSource(both, ids(both), splits, "In-shop query+gallery");
            }
            default -> throw new InvalidInputException("--split '" + this.split + "' for In-shop: expected train, "
                    + "query, gallery or query,gallery");
        };
    }

    private static ImageSource files(FileImageDataset dataset, String split, String description) {
        String[] splits = new String[dataset.size()];
        Arrays.fill(splits, split);
        return new ImageSource(dataset, ids(dataset), Arrays.asList(splits), description);
    }

    private static List<String> ids(FileImageDataset dataset) {
        List<String> ids = new ArrayList<>(dataset.size());
        for (LabeledFile f : dataset.items()) {
            ids.add(f.path().toAbsolutePath().normalize().toString());
        }
        return ids;
    }

    /** A CSV manifest of 'path,label' lines as a source (ids: the absolute image paths). */
    public static ImageSource csv(Path csv, long maxImagePixels) throws IOException {
        return files(CsvManifest.read(csv).withMaxImagePixels(maxImagePixels), "", "CSV " + csv);
    }

    /** An IDX image file and its label file as a source (ids {@code file#index}). */
    public static ImageSource idx(Path images, Path labels) throws IOException {
        IdxImageDataset dataset = IdxImageDataset.read(images, labels);
        String file = images.toAbsolutePath().normalize().toString();
        List<String> ids = new ArrayList<>(dataset.size());
        for (int i = 0; i < dataset.size(); i++) {
            ids.add(file + "#" + i);
        }
        String[] splits = new String[dataset.size()];
        Arrays.fill(splits, "");
        return new ImageSource(dataset, ids, Arrays.asList(splits), "IDX " + images.getFileName());
    }
}
