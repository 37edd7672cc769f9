package org.unicom4j.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.npy.NpyArray;

/**
 * The SSCQ two-view augmentation: its pixel operations against torchvision's functional ops
 * (tools/make_augment_fixtures.py: Gaussian blur, brightness, contrast, saturation, hue, grayscale), identities
 * with everything off, the mirror, crops worked by hand, one-channel images untouched by colour, and the two views
 * of a generator being different but repeatable.
 */
class ContrastiveViewsTest {
    private static final ContrastiveViews OFF = new ContrastiveViews(1, 1, 0, 0, 0, 0);

    private static float[] fixture(String name) {
        try {
            return NpyArray.read(Path.of(ContrastiveViewsTest.class.getResource("/augment/" + name + ".npy").toURI()))
                    .toFloats();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void close(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + " element " + i);
        }
    }

    @Test
    void gaussianBlurIsTorchvisions() {
        float[] rgb = fixture("rgb");
        for (int c = 0; c < 3; c++) {
            GaussianBlur.apply(rgb, c * 144, 12, 3, 0.7);
        }
        close(fixture("blur_rgb"), rgb, 1e-6, "kernel 3, sigma 0.7");
        float[] gray = fixture("gray");
        GaussianBlur.apply(gray, 0, 12, 5, 1.6);
        close(fixture("blur_gray"), gray, 1e-6, "kernel 5, sigma 1.6 (reflected borders)");
        assertEquals(3, ContrastiveViews.kernelSize(28), "Fashion-MNIST: 10% of 28, odd");
        assertEquals(23, ContrastiveViews.kernelSize(224));
    }

    @Test
    void colourOperationsAreTorchvisions() {
        String[] names = {"brightness", "contrast", "saturation", "hue", "hue_negative"};
        double[][] factors = {{1.3, 1, 1, 0}, {1, 0.7, 1, 0}, {1, 1, 1.25, 0}, {1, 1, 1, 0.08}, {1, 1, 1, -0.1}};
        for (int i = 0; i < names.length; i++) {
            float[] x = fixture("rgb");
            ColourJitter.apply(x, 0, 144, factors[i][0], factors[i][1], factors[i][2], factors[i][3]);
            close(fixture(names[i]), x, 2e-6, names[i]);
        }
        float[] x = fixture("rgb");
        ColourJitter.grayscale(x, 0, 144);
        close(fixture("grayscale"), x, 1e-6, "grayscale");
    }

    @Test
    void withEverythingOffAViewIsTheImage() {
        float[] rgb = fixture("rgb"), out = new float[rgb.length + 3];
        for (long seed = 0; seed < 20; seed++) {
            OFF.apply(rgb, 0, 3, 12, out, 3, new SplittableRandom(seed));
            assertArrayEquals(rgb, Arrays.copyOfRange(out, 3, out.length), 1e-6f, "seed " + seed);
        }
    }

    @Test
    void aCertainFlipMirrors() {
        float[] gray = fixture("gray"), out = new float[gray.length];
        new ContrastiveViews(1, 1, 1, 0, 0, 0).apply(gray, 0, 1, 12, out, 0, new SplittableRandom(3));
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) {
                assertEquals(gray[y * 12 + 11 - x], out[y * 12 + x], 1e-6f);
            }
        }
    }

    @Test
    void aCropIsTheWindowScaledUp() {
        // a 4 x 4 ramp; the centred half window [1, 3) resampled to 4 x 4 samples at 1.25, 1.75, 2.25, 2.75 (x0.5
        // steps from pixel centres), clamped at the edges: row y = 1.25 -> values ramp(1.25 * 4 + x)
        float[] ramp = new float[16];
        for (int i = 0; i < 16; i++) {
            ramp[i] = i;
        }
        ContrastiveViews quarter = new ContrastiveViews(0.25, 0.25, 0, 0, 0, 0);
        float[] out = new float[16];
        SplittableRandom random = new SplittableRandom(9);
        int[] w = new RandomResizedCrop(4, 0.25, 0.25, 3.0 / 4.0, 4.0 / 3.0).window(4, 4, random.split());
        assertEquals(2, w[2], "a quarter of the area is 2 x 2 (the only shape within the ratios)");
        assertEquals(2, w[3]);
        // replay the same generator for the augmentation
        SplittableRandom again = new SplittableRandom(9);
        quarter.apply(ramp, 0, 1, 4, out, 0, again.split());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                double sy = w[1] + (y + 0.5) / 2 - 0.5, sx = w[0] + (x + 0.5) / 2 - 0.5;
                sy = Math.min(Math.max(sy, 0), 3);
                sx = Math.min(Math.max(sx, 0), 3);
                assertEquals(sy * 4 + sx, out[y * 4 + x], 1e-5, "(" + x + ", " + y + ") of window " + Arrays.toString(w));
            }
        }
    }

    @Test
    void oneChannelImagesSkipTheColourOperations() {
        float[] gray = fixture("gray"), out = new float[gray.length];
        new ContrastiveViews(1, 1, 0, 1, 1, 0).apply(gray, 0, 1, 12, out, 0, new SplittableRandom(4));
        assertArrayEquals(gray, out, 1e-6f, "certain jitter and grayscale, but one channel");
    }

    @Test
    void twoViewsOfAGeneratorDifferAndRepeat() {
        ContrastiveViews views = new ContrastiveViews(0.5, 1, 0.5, 0.8, 0.2, 0.5);
        float[] rgb = fixture("rgb");
        float[][] first = new float[2][rgb.length], second = new float[2][rgb.length];
        SplittableRandom a = new SplittableRandom(77), b = new SplittableRandom(77);
        for (int v = 0; v < 2; v++) {
            views.apply(rgb, 0, 3, 12, first[v], 0, a);
            views.apply(rgb, 0, 3, 12, second[v], 0, b);
        }
        assertArrayEquals(first[0], second[0]);
        assertArrayEquals(first[1], second[1]);
        assertFalse(Arrays.equals(first[0], first[1]), "consecutive draws are different views");
        assertThrows(IllegalArgumentException.class, () -> new ContrastiveViews(0, 1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ContrastiveViews(0.5, 1, 1.5, 0, 0, 0));
    }
}
