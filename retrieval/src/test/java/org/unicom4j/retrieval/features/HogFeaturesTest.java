package org.unicom4j.retrieval.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unicom4j.retrieval.Vectors;

/** HOG against an independent NumPy implementation and against cases worked by hand. */
class HogFeaturesTest {

    /**
     * A 12x12 image, ((7y + 3x) mod 11) / 10 with a bright bar at rows 3-5, columns 2-8; expected values from
     * a NumPy HOG with the same definition (central differences, 9 unsigned bins with linear votes, 4x4 cells,
     * L2-normalised 2x2 blocks).
     */
    @Test
    void matchesTheNumPyReference() {
        float[] image = new float[144];
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) {
                image[y * 12 + x] = (y >= 3 && y < 6 && x >= 2 && x < 9) ? 0.95f : ((y * 7 + x * 3) % 11) / 10f;
            }
        }
        Vectors d = HogFeatures.compute(image, 1, 12);
        assertEquals(144, d.dim());
        float[] firstBlock = {0.309707254f, 0.019232644f, 0f, 0f, 0.118495785f, 0.157107949f, 0.283759743f,
                0.281546801f, 0.070694059f, 0.319917530f, 0.118696012f, 0.046697251f};
        float[] lastBlock = {0.044783052f, 0.036960177f, 0.113967642f, 0.035818476f, 0.087316610f, 0.087316610f,
                0.259706467f, 0.199295029f, 0.065724336f, 0.118501119f, 0.215470448f, 0.105290666f};
        assertArrayEquals(firstBlock, java.util.Arrays.copyOfRange(d.data(), 0, 12), 1e-5f);
        assertArrayEquals(lastBlock, java.util.Arrays.copyOfRange(d.data(), 108, 120), 1e-5f);
        double sum = 0, sq = 0;
        for (float v : d.data()) {
            sum += v;
            sq += v * v;
        }
        assertEquals(19.333860397, sum, 1e-4);
        assertEquals(4.0, sq, 1e-4, "four blocks of unit norm");
    }

    @Test
    void verticalEdgeVotesOnlyForTheHorizontalGradientBin() {
        float[] image = new float[64];
        for (int y = 0; y < 8; y++) {
            for (int x = 4; x < 8; x++) {
                image[y * 8 + x] = 1f; // dark left half, bright right half: gradients point along +x (angle 0)
            }
        }
        float[] d = HogFeatures.compute(image, 1, 8).data();
        assertEquals(36, d.length);
        for (int i = 0; i < 36; i++) {
            if (i % HogFeatures.BINS != 0) {
                assertEquals(0f, d[i], 0f, "only bin 0 gets votes, value " + i);
            }
        }
        assertEquals(0.5, d[0], 1e-6, "the edge crosses all four cells alike, so each holds half the block norm");
    }

    @Test
    void horizontalEdgeSplitsBetweenTheTwoBinsAroundAQuarterTurn() {
        float[] image = new float[64];
        for (int i = 32; i < 64; i++) {
            image[i] = 1f; // gradients along +y: angle pi/2, halfway between bins 4 and 5
        }
        float[] d = HogFeatures.compute(image, 1, 8).data();
        assertEquals(d[4], d[5], 1e-6);
        assertEquals(Math.sqrt(1.0 / 8), d[4], 1e-6, "four cells, two equal bins each, one unit-norm block");
    }

    @Test
    void flatImagesGiveZeroAndBadShapesAreRejected() {
        float[] d = HogFeatures.compute(new float[2 * 64], 2, 8).data();
        for (float v : d) {
            assertEquals(0f, v, 0f);
        }
        assertThrows(IllegalArgumentException.class, () -> HogFeatures.compute(new float[100], 1, 10));
        assertThrows(IllegalArgumentException.class, () -> HogFeatures.compute(new float[64], 2, 8));
    }
}
