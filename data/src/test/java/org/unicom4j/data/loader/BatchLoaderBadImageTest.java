package org.unicom4j.data.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.dataset.FileImageDataset;
import org.unicom4j.data.dataset.LabeledFile;
import org.unicom4j.data.image.EvalPreprocessor;

/** Unreadable and undecodable files among good PNGs, under both policies. */
class BatchLoaderBadImageTest {
    /** What the decoder says of corrupt.jpg, whose first bytes are "this is ". */
    private static final String NOT_AN_IMAGE = "not a recognised image format (first bytes 7468697320697320)";

    @TempDir
    Path dir;
    private FileImageDataset dataset;
    private Path corrupt;
    private Path missing;

    @BeforeEach
    void makeFiles() throws IOException {
        List<LabeledFile> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path p = dir.resolve("img" + i + ".png");
            BufferedImage im = new BufferedImage(9, 7, BufferedImage.TYPE_3BYTE_BGR);
            im.setRGB(1, 1, 0x102030 * (i + 1));
            ImageIO.write(im, "png", p.toFile());
            items.add(new LabeledFile(p, i));
        }
        corrupt = dir.resolve("corrupt.jpg");
        Files.writeString(corrupt, "this is not a jpeg");
        missing = dir.resolve("missing.png");
        items.add(2, new LabeledFile(corrupt, 6));
        items.add(5, new LabeledFile(missing, 7));
        dataset = new FileImageDataset(items, List.of("0", "1", "2", "3", "4", "5", "6", "7"));
    }

    @Test
    void skipLeavesThemOutAndReportsThemByPath() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (BatchLoader loader = BatchLoader.builder(dataset, EvalPreprocessor.clip(8)).batchSize(4).shuffle(false)
                .report(new PrintStream(log, true, StandardCharsets.UTF_8)).build()) {
            List<Batch> batches = new ArrayList<>();
            loader.epoch(0).forEachRemaining(batches::add);
            assertEquals(2, batches.size());
            assertArrayEquals(new int[] {0, 1, 3}, batches.get(0).indices());
            assertArrayEquals(new int[] {0, 1, 2}, batches.get(0).labels());
            assertEquals(3 * 3 * 8 * 8, batches.get(0).images().length);
            assertArrayEquals(new int[] {4, 6, 7}, batches.get(1).indices());
            List<BadImage> bad = loader.badImages();
            assertEquals(2, bad.size());
            assertEquals(corrupt.toString(), bad.get(0).source());
            assertEquals(missing.toString(), bad.get(1).source());
            assertEquals(NOT_AN_IMAGE, bad.get(0).reason());
            assertEquals("file not found", bad.get(1).reason());
        }
        // each file named once (the decoder's message used to repeat it: "x.jpg: x.jpg: ...")
        assertEquals("epoch 0: skipped 2 bad images of 8; " + corrupt + ": " + NOT_AN_IMAGE + "; " + missing
                + ": file not found" + System.lineSeparator(), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void stopFailsAtTheFirstAndNamesIt() {
        try (BatchLoader loader = BatchLoader.builder(dataset, EvalPreprocessor.clip(8)).batchSize(4).shuffle(false)
                .badImagePolicy(BadImagePolicy.STOP).report(null).build()) {
            EpochIterator it = loader.epoch(0);
            var e = assertThrows(BadImageException.class, it::next);
            assertEquals(corrupt.toString(), e.badImage().source());
            assertEquals(2, e.badImage().index());
            assertEquals(corrupt + ": " + NOT_AN_IMAGE, e.getMessage());
        }
    }
}
