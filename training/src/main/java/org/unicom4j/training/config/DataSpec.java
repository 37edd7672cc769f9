package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.unicom4j.data.augment.ContrastiveViews;
import org.unicom4j.data.image.ImageDecoder;

/**
 * Where a run's images come from (config {@code data.train} or {@code data.eval}); paths are absolute, resolved
 * against the config file's folder.
 *
 * @param format       {@code idx} (an IDX image file and an IDX label file, as MNIST ships), {@code imagefolder}
 *                     (root/class/image), {@code csv} (a manifest of path,label lines) or {@code features} (below)
 * @param images       idx: the image file (may be gzipped)
 * @param labels       idx: the label file
 * @param root         imagefolder: the root folder
 * @param manifest     csv: the manifest file
 * @param limit        use only the first {@code limit} images (0: all)
 * @param augment      {@code none}; for idx {@code shift} (a random shift of up to maxShift pixels, zero fill),
 *                     {@code shift-flip} (the same and a horizontal flip with probability 1/2) or {@code affine}
 *                     (a random zoom by up to scaleJitter, a sub-pixel shift of up to maxShift, bilinear, and a
 *                     flip when {@code flip}) or {@code two-view} ({@code views}); for files {@code unicom} (RandomResizedCrop, flip, RandAugment m9
 *                     mstd 0.5, RandomErasing 0.25, spec section 5)
 * @param maxShift     idx shift, shift-flip, affine: the largest shift in pixels
 * @param scaleJitter  idx affine: the zoom factor is drawn from [1 - scaleJitter, 1 + scaleJitter]
 * @param flip         idx affine: also mirror with probability 1/2 (shift-flip always does, shift never)
 * @param pseudoLabels a {@code .npy} of integer labels (e.g. k-means pseudo-classes from {@code unicom4j cluster})
 *                     that replace the dataset's labels for training, or null
 * @param maxImagePixels imagefolder, csv: an image whose header declares more pixels is refused before decoding
 *                     (default {@link ImageDecoder#DEFAULT_MAX_PIXELS}, Pillow's)
 * @param features     features: a frozen backbone's cached features as {@code unicom4j embed} writes them (its output
 *                     folder, or the {@code .npy} with its manifest beside it); each row an item, its manifest label
 *                     its class (method {@code head})
 * @param views        idx {@code two-view} (SSCQ's two augmented views of every image, {@link ContrastiveViews}):
 *                     the crop's area share {@code minCropScale}..{@code maxCropScale} and the probabilities
 *                     {@code flipProbability}, {@code jitterProbability}, {@code grayscaleProbability},
 *                     {@code blurProbability}; null for the other augmentations
 */
public record DataSpec(String format, String images, String labels, String root, String manifest, int limit,
                       String augment, int maxShift, double scaleJitter, boolean flip, String pseudoLabels,
                       long maxImagePixels, String features, ContrastiveViews views) {
    /**
     * The two-view defaults, chosen on Fashion-MNIST (docs/RESULTS.md, "SSCQ"): light crops and no flip, as
     * the alignment of its images carries class information; colour jitter and grayscale as SimCLR's (they do
     * nothing to one-channel images); blur with probability 1/2.
     */
    static final ContrastiveViews DEFAULT_VIEWS = new ContrastiveViews(0.8, 1.0, 0.0, 0.8, 0.2, 0.5);

    static DataSpec read(ConfigNode n, Path base, boolean train) {
        String format = n.choice("format", null, "idx", "imagefolder", "csv", "features");
        String images = null, labels = null, root = null, manifest = null, features = null;
        switch (format) {
            case "idx" -> {
                images = resolve(base, n.text("images", null));
                labels = resolve(base, n.text("labels", null));
            }
            case "imagefolder" -> root = resolve(base, n.text("root", null));
            case "features" -> features = resolve(base, n.text("path", null));
            default -> manifest = resolve(base, n.text("manifest", null));
        }
        int limit = (int) n.integer("limit", 0, 0, Integer.MAX_VALUE);
        long maxImagePixels = format.equals("idx") || format.equals("features") ? ImageDecoder.DEFAULT_MAX_PIXELS
                : n.integer("maxImagePixels", ImageDecoder.DEFAULT_MAX_PIXELS, 1, Long.MAX_VALUE);
        String augment = "none";
        int maxShift = 0;
        double scaleJitter = 0;
        boolean flip = false;
        String pseudo = null;
        ContrastiveViews views = null;
        if (train) {
            augment = switch (format) {
                case "idx" -> n.choice("augment", "none", "none", "shift", "shift-flip", "affine", "two-view");
                case "features" -> n.choice("augment", "none", "none"); // cached once, as UniFEx: no augmentation
                default -> n.choice("augment", "none", "none", "unicom");
            };
            if (augment.equals("two-view")) {
                views = readViews(n);
            } else if (!augment.equals("none") && !augment.equals("unicom")) {
                maxShift = (int) n.integer("maxShift", 2, 0, 64);
            }
            flip = augment.equals("shift-flip");
            if (augment.equals("affine")) {
                scaleJitter = n.number("scaleJitter", 0.1, 0, 0.499);
                flip = n.bool("flip", false);
            }
            pseudo = n.optionalText("pseudoLabels").map(p -> resolve(base, p)).orElse(null);
        }
        n.finish();
        return new DataSpec(format, images, labels, root, manifest, limit, augment, maxShift, scaleJitter, flip,
                pseudo, maxImagePixels, features, views);
    }

    private static ContrastiveViews readViews(ConfigNode n) {
        ContrastiveViews d = DEFAULT_VIEWS;
        double max = n.number("maxCropScale", d.maxScale(), 0, 1);
        double min = n.number("minCropScale", Math.min(d.minScale(), max), 0, 1);
        if (!(min > 0 && min <= max)) {
            throw n.bad("minCropScale", "a number in (0, maxCropScale = " + max + "]");
        }
        return new ContrastiveViews(min, max, n.number("flipProbability", d.flip(), 0, 1),
                n.number("jitterProbability", d.jitter(), 0, 1), n.number("grayscaleProbability", d.grayscale(), 0, 1),
                n.number("blurProbability", d.blur(), 0, 1));
    }

    private static String resolve(Path base, String path) {
        return base.resolve(path).toAbsolutePath().normalize().toString();
    }

    /** This spec in the config-file format ({@code train}: with the training-only keys). */
    ObjectNode toJson(boolean train) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("format", format);
        switch (format) {
            case "idx" -> n.put("images", images).put("labels", labels);
            case "imagefolder" -> n.put("root", root);
            case "features" -> n.put("path", features);
            default -> n.put("manifest", manifest);
        }
        if (limit > 0) {
            n.put("limit", limit);
        }
        if (maxImagePixels != ImageDecoder.DEFAULT_MAX_PIXELS) {
            n.put("maxImagePixels", maxImagePixels);
        }
        if (train) {
            n.put("augment", augment);
            if (!augment.equals("none") && !augment.equals("unicom") && views == null) {
                n.put("maxShift", maxShift);
            }
            if (augment.equals("affine")) {
                n.put("scaleJitter", scaleJitter).put("flip", flip);
            }
            if (views != null) {
                n.put("minCropScale", views.minScale()).put("maxCropScale", views.maxScale())
                        .put("flipProbability", views.flip()).put("jitterProbability", views.jitter())
                        .put("grayscaleProbability", views.grayscale()).put("blurProbability", views.blur());
            }
            if (pseudoLabels != null) {
                n.put("pseudoLabels", pseudoLabels);
            }
        }
        return n;
    }

    /** What the data is, for messages: the file or folder it comes from. */
    public String describe() {
        return switch (format) {
            case "idx" -> images;
            case "imagefolder" -> root;
            case "features" -> features;
            default -> manifest;
        };
    }
}
