package org.unicom4j.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NeighboursTest {

    /**
     * Query 0 lists itself second: it is removed. Query 1 does not list itself (a duplicate outranked it): the
     * last entry is dropped instead. Both keep 2 neighbours of 4 - 1 = 3 candidates.
     */
    @Test
    void excludingSelf() {
        Neighbours nb = new Neighbours(2, 3, 4, new int[] {2, 0, 3, 0, 2, 3}, new float[] {1, 2, 3, 4, 5, 6}, false);
        Neighbours out = nb.excludingSelf(2);
        assertArrayEquals(new int[] {2, 3, 0, 2}, out.indices());
        assertArrayEquals(new float[] {1, 3, 4, 5}, out.scores());
        assertEquals(3, out.candidates());
    }

    @Test
    void excludingSelfNeedsOneNeighbourMore() {
        Neighbours nb = new Neighbours(1, 2, 4, new int[] {0, 1}, new float[2], false);
        assertThrows(IllegalArgumentException.class, () -> nb.excludingSelf(2));
    }

    @Test
    void shapesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Neighbours(2, 2, 1, new int[4], new float[4], true));
        assertThrows(IllegalArgumentException.class, () -> new Neighbours(2, 2, 3, new int[3], new float[4], true));
        assertThrows(IllegalArgumentException.class, () -> new Vectors(new float[5], 2, 3));
    }
}
