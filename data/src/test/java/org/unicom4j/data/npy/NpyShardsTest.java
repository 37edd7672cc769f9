package org.unicom4j.data.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;

/** Float16 feature shards read as one row sequence, across shard boundaries and empty shards. */
class NpyShardsTest {
    @TempDir
    Path dir;

    /** Shard sizes 3, 0, 5, 1 of 4-float rows; row r holds r, r + 0.25, r + 0.5, r + 0.75. */
    private void writeShards() throws IOException {
        int[] sizes = {3, 0, 5, 1};
        int row = 0;
        for (int s = 0; s < sizes.length; s++) {
            float[] v = new float[sizes[s] * 4];
            for (int i = 0; i < sizes[s]; i++, row++) {
                for (int k = 0; k < 4; k++) v[i * 4 + k] = row + 0.25f * k;
            }
            NpyArray.ofFloatsAsHalf(v, sizes[s], 4).write(dir.resolve(String.format("img_emb_%04d.npy", s)));
        }
        NpyArray.ofFloatsAsHalf(new float[4], 1, 4).write(dir.resolve("text_emb_0000.npy"));
    }

    @Test
    void readsAcrossShards() throws IOException {
        writeShards();
        try (NpyShards shards = NpyShards.openDirectory(dir, "img_emb_")) {
            assertEquals(4, shards.shardCount());
            assertEquals(9, shards.rows());
            float[] all = new float[9 * 4];
            shards.readRows(0, 9, all, 0);
            for (int r = 0; r < 9; r++) {
                assertArrayEquals(new float[] {r, r + 0.25f, r + 0.5f, r + 0.75f},
                        Arrays.copyOfRange(all, r * 4, r * 4 + 4), "row " + r);
            }
            float[] some = new float[3 * 4];
            shards.readRows(2, 3, some, 0); // rows 2 (shard 0), 3 and 4 (shard 2), skipping the empty shard 1
            assertEquals(2f, some[0]);
            assertEquals(4f, some[8]);
            float[] last = new float[4];
            shards.readRows(8, 1, last, 0);
            assertEquals(8f, last[0]);
            assertThrows(IndexOutOfBoundsException.class, () -> shards.readRows(8, 2, new float[8], 0));
        }
    }

    @Test
    void mismatchedShardsAreNamed() throws IOException {
        NpyArray.ofFloatsAsHalf(new float[8], 2, 4).write(dir.resolve("a.npy"));
        NpyArray.ofFloatsAsHalf(new float[6], 2, 3).write(dir.resolve("b.npy"));
        var e = assertThrows(InvalidInputException.class,
                () -> NpyShards.open(List.of(dir.resolve("a.npy"), dir.resolve("b.npy"))));
        assertTrue(e.getMessage().contains("b.npy") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }
}
