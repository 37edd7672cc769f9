package org.unicom4j.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Host-side L2 normalisation against values worked by hand and torch.nn.functional.normalize's definition. */
class L2NormTest {

    @Test
    void rowsBecomeUnitLengthAndZeroRowsStayZero() {
        float[] rows = {3, 4, 0, 0, 0, 0, -5, 0, 12};
        L2Norm.normalizeRows(rows, 3, 3);
        assertArrayEquals(new float[] {0.6f, 0.8f, 0, 0, 0, 0, -5f / 13, 0, 12f / 13}, rows, 0f);
    }

    @Test
    void eachValueIsDividedInDoubleThenRounded() {
        float[] row = {1f, 1f / 3, 7.25f};
        double norm = Math.sqrt(1.0 + (double) (1f / 3) * (1f / 3) + 7.25 * 7.25);
        assertEquals(norm, L2Norm.of(row, 0, 3), 0);
        float[] unit = L2Norm.unitRow(row, 0, 3);
        for (int j = 0; j < 3; j++) {
            assertEquals((float) (row[j] / norm), unit[j], 0f, "value " + j);
        }
        assertEquals(L2Norm.EPS, L2Norm.of(new float[4], 0, 4), 0, "a zero row divides by EPS");
    }

    @Test
    void normalizedLeavesItsInputAlone() {
        Vectors v = new Vectors(new float[] {0, 2, 1, 0}, 2, 2);
        Vectors unit = L2Norm.normalized(v);
        assertArrayEquals(new float[] {0, 2, 1, 0}, v.data(), 0f);
        assertArrayEquals(new float[] {0, 1, 1, 0}, unit.data(), 0f);
        assertArrayEquals(new float[] {0, 1}, L2Norm.unitRow(v.data(), 0, 2), 0f);
    }
}
