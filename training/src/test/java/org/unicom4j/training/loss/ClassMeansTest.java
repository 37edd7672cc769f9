package org.unicom4j.training.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unicom4j.retrieval.Vectors;

/** Class-mean prototypes against values worked by hand. */
class ClassMeansTest {

    @Test
    void meanOfNormalisedRowsThenUnitLength() {
        // Class 0: (3, 0) and (0, 5) normalise to (1, 0) and (0, 1); their mean points along (1, 1).
        // Class 1: (0, -2) alone. Class 2: empty, gets some unit vector.
        Vectors e = new Vectors(new float[] {3, 0, 0, 5, 0, -2}, 3, 2);
        float[] p = ClassMeans.unitMeans(e, new int[] {0, 0, 1}, 3, 1);
        double h = Math.sqrt(0.5);
        assertEquals(h, p[0], 1e-6);
        assertEquals(h, p[1], 1e-6);
        assertEquals(0, p[2], 1e-6);
        assertEquals(-1, p[3], 1e-6);
        assertEquals(1, Math.hypot(p[4], p[5]), 1e-6, "an empty class still gets a unit prototype");
    }

    @Test
    void onlyTheGivenRowsCountWhenLabelsAreLonger() {
        Vectors e = new Vectors(new float[] {0, 1}, 1, 2);
        float[] p = ClassMeans.unitMeans(e, new int[] {0, 0, 0}, 1, 1);
        assertEquals(0, p[0], 1e-6);
        assertEquals(1, p[1], 1e-6);
    }

    @Test
    void badLabelsAreRejected() {
        Vectors e = new Vectors(new float[] {1, 0, 0, 1}, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> ClassMeans.unitMeans(e, new int[] {0}, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> ClassMeans.unitMeans(e, new int[] {0, 2}, 2, 1));
    }
}
