package org.unicom4j.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.TestFiles;
import org.unicom4j.data.image.BicubicResize;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.image.Normalization;
import org.unicom4j.data.image.PixelImage;

/** The composed training pipeline: shapes, reproducibility, and that its parts compose as documented. */
class TrainAugmentationTest {

    private static PixelImage photo() throws IOException {
        return ImageDecoder.decode(TestFiles.resource("image/photo.png"));
    }

    @Test
    void recipeIsReproducibleForASeedAndVariesAcrossSeeds() throws IOException {
        TrainAugmentation t = TrainAugmentation.unicomRecipe(24);
        assertEquals(3 * 24 * 24, t.outputSize());
        float[] a = new float[t.outputSize()];
        float[] b = new float[t.outputSize()];
        float[] c = new float[t.outputSize()];
        t.apply(photo(), new SplittableRandom(42), a, 0);
        t.apply(photo(), new SplittableRandom(42), b, 0);
        t.apply(photo(), new SplittableRandom(43), c, 0);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void withoutRandomPartsItIsAPlainResize() throws IOException {
        // Scale and ratio pinned to the whole (square) image, no flip, no RandAugment, no erasing.
        PixelImage square = photo().crop(0, 0, 47, 47);
        TrainAugmentation t = new TrainAugmentation(new RandomResizedCrop(16, 1.0, 1.0, 1.0, 1.0), 0.0, null,
                Normalization.unit(3), null);
        assertEquals(BicubicResize.resize(square, 16, 16), t.pixels(square, new SplittableRandom(3)));
    }

    @Test
    void flipAlwaysMirrors() throws IOException {
        PixelImage square = photo().crop(0, 0, 47, 47);
        RandomResizedCrop whole = new RandomResizedCrop(47, 1.0, 1.0, 1.0, 1.0);
        TrainAugmentation t = new TrainAugmentation(whole, 1.0, null, Normalization.unit(3), null);
        assertEquals(HorizontalFlip.flip(square), t.pixels(square, new SplittableRandom(3)));
        assertEquals(square, HorizontalFlip.flip(HorizontalFlip.flip(square)));
    }

    @Test
    void grayModelGetsOneChannel() throws IOException {
        TrainAugmentation t = new TrainAugmentation(RandomResizedCrop.standard(10), 0.5, RandAugment.timm(9, 0.5),
                new Normalization(new float[] {0.5f}, new float[] {0.25f}), new RandomErasing(0.25,
                RandomErasing.Mode.PIXEL));
        float[] out = new float[t.outputSize()];
        t.apply(photo(), new SplittableRandom(1), out, 0);
        assertEquals(100, out.length);
    }

    @Test
    void randAugmentWithProbabilityZeroIsIdentity() throws IOException {
        RandAugment none = new RandAugment(2, 9, 0.5, 0.0, List.of(RandAugmentOp.values()), new int[] {0, 0, 0});
        PixelImage p = photo();
        assertSame(p, none.apply(p, new SplittableRandom(8)));
    }

    @Test
    void everyOpKeepsTheShapeAtEveryMagnitude() throws IOException {
        PixelImage p = photo();
        PixelImage gray = p.toGray();
        for (RandAugmentOp op : RandAugmentOp.values()) {
            for (double m : new double[] {0, 5, 10}) {
                PixelImage out = op.apply(p, m, new SplittableRandom(1));
                assertEquals(p.width(), out.width());
                assertEquals(p.height(), out.height());
                assertEquals(3, out.channels());
                assertEquals(1, op.apply(gray, m, new SplittableRandom(1)).channels(), op + " on gray");
            }
        }
    }
}
