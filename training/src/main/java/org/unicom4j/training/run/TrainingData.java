package org.unicom4j.training.run;

import java.io.IOException;
import java.nio.file.Path;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.augment.AffineJitter;
import org.unicom4j.data.augment.FloatImageAugmentation;
import org.unicom4j.data.augment.PixelShift;
import org.unicom4j.data.augment.RandAugment;
import org.unicom4j.data.augment.RandomErasing;
import org.unicom4j.data.augment.RandomResizedCrop;
import org.unicom4j.data.augment.TrainAugmentation;
import org.unicom4j.data.dataset.CsvManifest;
import org.unicom4j.data.dataset.FileImageDataset;
import org.unicom4j.data.dataset.IdxImageDataset;
import org.unicom4j.data.dataset.ImageFolder;
import org.unicom4j.data.image.EvalPreprocessor;
import org.unicom4j.data.image.Normalization;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.training.config.DataSpec;
import org.unicom4j.training.config.ModelSpec;
import org.unicom4j.training.trainer.InMemoryImages;
import org.unicom4j.training.trainer.TrainingImages;

/**
 * Opens the images a {@link DataSpec} names, shaped for the model. IDX images are held in memory as floats in
 * [0, 1] (the model must be one-channel at the IDX image size: no resizing); ImageFolder and CSV images are
 * decoded per use, resized and centre-cropped to the model's input with CLIP normalisation (3 channels) or
 * [0, 1] scaling (1 channel), with the Unicom augmentation recipe when asked.
 */
public final class TrainingData {
    private TrainingData() {
    }

    /** The images of {@code spec} ({@code key} names it in messages: data.train or data.eval). */
    public static TrainingImages open(DataSpec spec, ModelSpec model, String key) throws IOException {
        if (spec.format().equals("features") != (model.head() != null)) {
            throw new InvalidInputException(key + ": cached features are for method head, and method head trains on "
                    + "them only; got format " + spec.format());
        }
        VitConfig vit = model.vit();
        TrainingImages images = switch (spec.format()) {
            case "idx" -> idx(spec, vit, key);
            case "features" -> CachedFeatures.open(spec, model.head(), key);
            default -> files(spec, vit);
        };
        if (images.count() == 0) {
            throw new InvalidInputException(key + ": no images in " + spec.describe());
        }
        if (spec.pseudoLabels() == null) {
            return images;
        }
        int total = spec.format().equals("idx") ? -1 : images.count();
        int[] labels = PseudoLabels.read(Path.of(spec.pseudoLabels()), images.count(),
                total < 0 ? fullSize(spec) : total);
        return images instanceof InMemoryImages m ? m.withLabels(labels) : new RelabeledImages(images, labels);
    }

    private static int fullSize(DataSpec spec) throws IOException {
        return IdxImageDataset.read(Path.of(spec.images()), Path.of(spec.labels())).size();
    }

    private static TrainingImages idx(DataSpec spec, VitConfig vit, String key) throws IOException {
        IdxImageDataset data = IdxImageDataset.read(Path.of(spec.images()), Path.of(spec.labels()));
        int h = data.imageHeight(), w = data.imageWidth();
        if (vit.channels() != 1 || h != vit.imageSize() || w != vit.imageSize()) {
            throw new InvalidInputException(key + ": IDX images in " + spec.images() + " are 1x" + h + "x" + w
                    + ", the model expects " + vit.channels() + "x" + vit.imageSize() + "x" + vit.imageSize());
        }
        int n = spec.limit() > 0 ? Math.min(spec.limit(), data.size()) : data.size();
        float[] pixels = new float[n * h * w];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            byte[] px = data.load(i).pixels();
            for (int p = 0; p < px.length; p++) {
                pixels[i * px.length + p] = (px[p] & 0xff) / 255f; // background 0, also the shift's fill value
            }
            labels[i] = data.label(i);
        }
        return new InMemoryImages(pixels, labels, 1, h, augmentation(spec));
    }

    /** The in-memory augmentation {@code spec} asks for, or null for none (nothing drawn at all). */
    private static FloatImageAugmentation augmentation(DataSpec spec) {
        return switch (spec.augment()) {
            case "shift", "shift-flip" -> spec.maxShift() == 0 && !spec.flip() ? null
                    : new PixelShift(spec.maxShift(), spec.flip());
            case "affine" -> new AffineJitter(spec.scaleJitter(), spec.maxShift(), spec.flip());
            case "two-view" -> spec.views();
            default -> null;
        };
    }

    private static TrainingImages files(DataSpec spec, VitConfig vit) throws IOException {
        FileImageDataset data = (spec.format().equals("imagefolder") ? ImageFolder.read(Path.of(spec.root()))
                : CsvManifest.read(Path.of(spec.manifest()))).withMaxImagePixels(spec.maxImagePixels());
        Normalization normalization = vit.channels() == 3 ? Normalization.CLIP : Normalization.unit(1);
        EvalPreprocessor eval = new EvalPreprocessor(vit.imageSize(), normalization);
        var train = spec.augment().equals("unicom")
                ? new TrainAugmentation(RandomResizedCrop.standard(vit.imageSize()), 0.5, RandAugment.timm(9, 0.5),
                        normalization, new RandomErasing(0.25, RandomErasing.Mode.PIXEL))
                : eval;
        int n = spec.limit() > 0 ? Math.min(spec.limit(), data.size()) : data.size();
        return new DatasetImages(data, train, eval, n);
    }
}
