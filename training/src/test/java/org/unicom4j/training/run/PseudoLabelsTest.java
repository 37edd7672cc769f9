package org.unicom4j.training.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyArray;

class PseudoLabelsTest {
    @TempDir
    Path dir;

    private Path write(NpyArray array) throws Exception {
        Path file = dir.resolve("labels.npy");
        array.write(file);
        return file;
    }

    @Test
    void readsInt64ColumnsAndTakesThePrefixInUse() throws Exception {
        Path file = write(NpyArray.ofLongs(new long[] {4, 0, 9, 2, 7}, 5, 1));
        assertArrayEquals(new int[] {4, 0, 9}, PseudoLabels.read(file, 3, 5));
        assertArrayEquals(new int[] {4, 0, 9, 2, 7}, PseudoLabels.read(file, 5, 5));
    }

    @Test
    void acceptsExactlyTheUsedCount() throws Exception {
        Path file = write(NpyArray.ofInts(new int[] {1, 2, 3}, 3));
        assertArrayEquals(new int[] {1, 2, 3}, PseudoLabels.read(file, 3, 10));
    }

    @Test
    void rejectsWrongCountsShapesTypesAndNegativeLabels() throws Exception {
        Path counted = write(NpyArray.ofInts(new int[] {1, 2, 3, 4}, 4));
        assertEquals(counted + ": 4 pseudo-labels, expected 10 (one per image) or 3 (one per used image)",
                assertThrows(InvalidInputException.class, () -> PseudoLabels.read(counted, 3, 10)).getMessage());
        Path matrix = write(NpyArray.ofInts(new int[] {1, 2, 3, 4}, 2, 2));
        assertEquals(matrix + ": pseudo-labels have shape [2, 2], expected [n] or [n, 1]",
                assertThrows(InvalidInputException.class, () -> PseudoLabels.read(matrix, 2, 2)).getMessage());
        Path floats = write(NpyArray.ofFloats(new float[] {1, 2}, 2));
        assertEquals(floats + ": pseudo-labels are <f4, expected an integer dtype",
                assertThrows(InvalidInputException.class, () -> PseudoLabels.read(floats, 2, 2)).getMessage());
        Path negative = write(NpyArray.ofInts(new int[] {1, -1}, 2));
        assertEquals(negative + ": pseudo-label 1 is -1, expected >= 0",
                assertThrows(InvalidInputException.class, () -> PseudoLabels.read(negative, 2, 2)).getMessage());
    }
}
