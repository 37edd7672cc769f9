package org.unicom4j.data.assemble;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.dataset.CsvManifest;
import org.unicom4j.data.dataset.Cub200;
import org.unicom4j.data.dataset.IdxImageDataset;
import org.unicom4j.data.dataset.ImageDataset;
import org.unicom4j.data.dataset.ImageFolder;
import org.unicom4j.data.dataset.InShopClothes;
import org.unicom4j.data.dataset.QueryGallerySplit;
import org.unicom4j.data.dataset.StanfordOnlineProducts;
import org.unicom4j.data.dataset.TrainTestSplit;

/** The kinds of labelled source an assembly reads, each through the data set reader of its format. */
public enum SourceKind {
    /** A {@code path,label} CSV ({@link CsvManifest}). */
    CSV,
    /** An ImageFolder tree, class = directory ({@link ImageFolder}). */
    FOLDER,
    /** CUB-200-2011's lists, split train (classes 1-100) or test ({@link Cub200}). */
    CUB,
    /** Stanford Online Products' Ebay_train.txt / Ebay_test.txt ({@link StanfordOnlineProducts}). */
    SOP,
    /** In-shop Clothes' list_eval_partition.txt, split train, query or gallery ({@link InShopClothes}). */
    INSHOP,
    /** An IDX image file and its label file (MNIST, Fashion-MNIST), whose images are written out as PNG files. */
    IDX;

    static SourceKind parse(String spec, String kind) {
        for (SourceKind k : values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(kind.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new InvalidInputException("source '" + spec + "': kind '" + kind + "' is not one of csv, folder, cub, "
                + "sop, inshop, idx");
    }

    /** Whether the source's images exist only inside a data file (and must be written out for a CSV of paths). */
    boolean inMemory() {
        return this == IDX;
    }

    /** The split this kind reads by default, or null for a kind without splits. */
    String defaultSplit() {
        return switch (this) {
            case CUB, SOP, INSHOP -> "train";
            default -> null;
        };
    }

    ImageDataset open(SourceSpec s, long maxPixels) throws IOException {
        return switch (this) {
            case CSV -> CsvManifest.read(s.path()).withMaxImagePixels(maxPixels);
            case FOLDER -> ImageFolder.read(s.path()).withMaxImagePixels(maxPixels);
            case CUB -> split(s, Cub200.read(s.path()).withMaxImagePixels(maxPixels));
            case SOP -> split(s, StanfordOnlineProducts.read(s.path()).withMaxImagePixels(maxPixels));
            case INSHOP -> {
                QueryGallerySplit q = InShopClothes.read(s.path()).withMaxImagePixels(maxPixels);
                yield switch (s.split()) {
                    case "train" -> q.train();
                    case "query" -> q.query();
                    case "gallery" -> q.gallery();
                    default -> throw badSplit(s, "train, query or gallery");
                };
            }
            case IDX -> IdxImageDataset.read(s.path(), s.labels());
        };
    }

    private static ImageDataset split(SourceSpec s, TrainTestSplit split) {
        return switch (s.split()) {
            case "train" -> split.train();
            case "test" -> split.test();
            default -> throw badSplit(s, "train or test");
        };
    }

    private static InvalidInputException badSplit(SourceSpec s, String expected) {
        return new InvalidInputException("source '" + s.name() + "': split '" + s.split() + "' for "
                + s.kind().name().toLowerCase(Locale.ROOT) + ": expected " + expected);
    }
}
