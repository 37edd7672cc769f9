package org.unicom4j.retrieval.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;
import org.unicom4j.retrieval.Vectors;

/** The fitted feature maps are their parts composed: HOG, then PCA fitted on the first images' descriptors. */
class HandMadeFeaturesTest {
    private static final Vectors IMAGES = new Vectors(TestData.uniform(3, 60 * 64), 60, 64); // 60 images of 8x8

    @Test
    void pixelsAreThemselves() {
        FeatureMap map = HandMadeFeatures.parse("Pixels").fit(TestBackends.get("cpu"), IMAGES, 8, 20, 0, 1);
        assertSame(IMAGES, map.apply(IMAGES));
        assertEquals("raw pixels (64-d)", map.description());
    }

    @Test
    void hogIsHogDescriptorsOnThePrincipalAxesOfTheFirstImages() {
        Backend backend = TestBackends.get("cpu");
        FeatureMap map = HandMadeFeatures.HOG.fit(backend, IMAGES, 4, 20, 0, 9);
        Vectors hog = HogFeatures.compute(IMAGES.data(), 60, 8);
        Vectors first = new Vectors(Arrays.copyOf(hog.data(), 20 * hog.dim()), 20, hog.dim());
        Vectors expected = PrincipalComponents.fit(backend, first, 4, 9).project(backend, hog, 0);
        Vectors actual = map.apply(IMAGES);
        assertEquals(4, actual.dim());
        assertArrayEquals(expected.data(), actual.data());
        assertTrue(map.description().startsWith("HOG descriptors (9 orientations, 4x4 cells, 2x2 blocks, 36-d) "
                + "projected on their top 4 principal axes (fitted on 20 images"), map.description());
    }

    @Test
    void hogRefusesRowsThatAreNotSquareImagesWhilePcaTakesAnyRows() {
        assertThrows(IllegalArgumentException.class, () -> HandMadeFeatures.HOG.fit(TestBackends.get("cpu"),
                new Vectors(new float[2 * 60], 2, 60), 2, 2, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> HandMadeFeatures.parse("sift"));
        // cached features, 60-d rows: PCA as on pixels
        Vectors rows = new Vectors(Arrays.copyOf(IMAGES.data(), 60 * 60), 60, 60);
        assertEquals(3, HandMadeFeatures.PCA.fit(TestBackends.get("cpu"), rows, 3, 60, 0, 1).apply(rows).dim());
    }
}
