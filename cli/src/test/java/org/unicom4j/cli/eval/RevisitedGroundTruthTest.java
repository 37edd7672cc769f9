package org.unicom4j.cli.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.cli.CliRun.fixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.PixelImage;
import org.unicom4j.retrieval.metrics.RevisitedQuery;

/** Reading gnd_*.pkl ground truth (lists and NumPy arrays), its errors, and Pillow's rounding of query boxes. */
class RevisitedGroundTruthTest {

    @Test
    void readsListsAndNumpyArrays() throws Exception {
        RevisitedGroundTruth gnd = RevisitedGroundTruth.read(fixture("gnd_tiny.pkl"));
        assertEquals("tiny", gnd.name());
        assertEquals(List.of("db0", "db1", "db2", "db3", "db4", "db5"), gnd.imlist());
        assertEquals(List.of("db0", "db3"), gnd.qimlist());
        RevisitedQuery q0 = gnd.queries().get(0), q1 = gnd.queries().get(1);
        assertArrayEquals(new int[] {0, 1}, q0.easy());
        assertArrayEquals(new int[] {2}, q0.hard());
        assertArrayEquals(new int[] {5}, q0.junk());
        assertArrayEquals(new double[] {1.4, 2.5, 13.5, 14.6}, q0.bbox());
        assertArrayEquals(new int[] {3}, q1.easy());
        assertArrayEquals(new int[] {4, 5}, q1.hard());
        assertArrayEquals(new int[0], q1.junk(), "an empty int64 array (bytes() in the pickle)");
        assertArrayEquals(new double[] {0, 0, 16, 16}, q1.bbox());
    }

    @Test
    void indicesOutsideTheDatabaseAreRefusedNamingTheEntry() {
        var e = assertThrows(FileFormatException.class,
                () -> RevisitedGroundTruth.read(fixture("gnd_bad_index.pkl")));
        assertTrue(e.getMessage().contains("gnd[0]['junk'] holds 9.0, expected database indices 0..1"),
                e.getMessage());
    }

    @Test
    void notAGroundTruthPickleIsOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("list.pkl");
        Files.write(list, new byte[] {(byte) 0x80, 2, ']', 'q', 0, '.'}); // protocol 2: an empty list
        var e = assertThrows(FileFormatException.class,
                () -> RevisitedGroundTruth.read(list));
        assertTrue(e.getMessage().startsWith(list + ": holds a ") && e.getMessage().contains("expected a dict"),
                e.getMessage());
        var zip = assertThrows(FileFormatException.class,
                () -> RevisitedGroundTruth.read(fixture("tiny_vit_fp16.pt")));
        assertTrue(zip.getMessage().startsWith(fixture("tiny_vit_fp16.pt").toString()), zip.getMessage());
    }

    @Test
    void queryBoxesRoundHalfToEvenAsPillowCrops() {
        byte[] px = new byte[20 * 20];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) i;
        }
        PixelImage image = new PixelImage(20, 20, 1, px);
        // Python's round: 1.4 -> 1, 2.5 -> 2, 13.5 -> 14, 14.6 -> 15.
        PixelImage crop = RevisitedImages.crop(image, new double[] {1.4, 2.5, 13.5, 14.6}, "q");
        assertEquals(13, crop.width());
        assertEquals(13, crop.height());
        assertEquals(image.get(1, 2, 0), crop.get(0, 0, 0));
        assertEquals(image.get(13, 14, 0), crop.get(12, 12, 0));
        assertThrows(InvalidInputException.class, () -> RevisitedImages.crop(image, new double[] {5, 5, 5.2, 9},
                "q"));
        assertNull(new RevisitedQuery(new int[0], new int[0], new int[0], null).bbox());
    }
}
