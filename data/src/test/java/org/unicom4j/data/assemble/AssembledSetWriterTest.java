package org.unicom4j.data.assemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.dataset.CsvManifest;
import org.unicom4j.data.dataset.FileImageDataset;
import org.unicom4j.data.dataset.ImageDataset;
import org.unicom4j.data.idx.IdxFiles;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.image.PixelImage;

/**
 * Small generated sources (an ImageFolder, a CSV, an IDX pair) assembled and written: the CSV reads back through
 * {@link CsvManifest} with the merged labels, IDX images become PNG files with their pixels, and nothing is left
 * half-written when the image folder exists; bad source lines name their file and line.
 */
class AssembledSetWriterTest {
    @TempDir
    Path dir;

    private Path png(Path file, int gray) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, gray * 0x010101);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** folder: classes x (3 images), y (2); csv: k1 (3 images, one with a comma in its path), k2 (1). */
    private List<SourceSpec> sources() throws IOException {
        for (int i = 0; i < 3; i++) {
            png(dir.resolve("tree/x/" + i + ".png"), i);
        }
        png(dir.resolve("tree/y/0.png"), 9);
        png(dir.resolve("tree/y/1.png"), 9);
        png(dir.resolve("other/a,b.png"), 1);
        png(dir.resolve("other/c.png"), 2);
        png(dir.resolve("other/d.png"), 3);
        Files.writeString(dir.resolve("other/list.csv"), "\"a,b.png\",k1\nc.png,k1\nd.png,k1\nd.png,k2\n");
        Files.createDirectories(dir.resolve("idx"));
        byte[] px = new byte[4 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (10 * i);
        }
        Path images = IdxFiles.write(dir.resolve("idx/img"), IdxFiles.bytes(0x08, new int[] {4, 2, 2}, px), true);
        Path labels = IdxFiles.write(dir.resolve("idx/lab"), IdxFiles.bytes(0x08, new int[] {4},
                new byte[] {1, 0, 1, 1}), false);
        return List.of(SourceSpec.parse("folder:" + dir.resolve("tree") + ",name=tree"),
                SourceSpec.parse("csv:" + dir.resolve("other/list.csv")),
                SourceSpec.parse("idx:" + images + ",labels=" + labels + ",name=digits"));
    }

    private static AssembledSet assemble(List<SourceSpec> specs, int minPerClass) throws IOException {
        List<ImageDataset> data = new ArrayList<>();
        for (SourceSpec s : specs) {
            data.add(s.open(Long.MAX_VALUE));
        }
        return Assembler.assemble(specs, data, minPerClass, 0);
    }

    @Test
    void theCsvReadsBackWithMergedLabelsAndIdxImagesAsPngs() throws Exception {
        AssembledSet set = assemble(sources(), 3);
        Path csv = dir.resolve("out/m4d.csv");
        Files.createDirectories(csv.getParent());
        AssembledSetWriter.write(set, csv, dir.resolve("out/images"));
        // tree: x (label 0, 3 images), y dropped; csv: k1 (label 1, 3), k2 dropped; idx: class 1 (label 2, 3)
        FileImageDataset merged = CsvManifest.read(csv);
        assertEquals(9, merged.size());
        assertEquals(List.of(0, 0, 0, 1, 1, 1, 2, 2, 2), java.util.Arrays.stream(merged.labels()).boxed().toList());
        assertEquals(dir.resolve("other/a,b.png"), merged.items().get(3).path());
        assertEquals(dir.resolve("out/images/digits/000003.png"), merged.items().get(8).path());
        assertTrue(Files.readString(csv).startsWith("img_path,label\n"), "M4D-35k's header");
        assertTrue(Files.readString(csv).contains("\nimages/digits/000000.png,2\n"), "relative inside the CSV's folder");
        PixelImage third = ImageDecoder.decode(dir.resolve("out/images/digits/000002.png"));
        assertEquals(1, third.channels());
        assertEquals(10 * (2 * 4 + 3), third.get(1, 1, 0));
        assertEquals(List.of(0, 1, 2), set.summaries().stream().map(SourceSummary::labelOffset).toList());
    }

    @Test
    void anExistingImageFolderIsRefusedBeforeAnythingIsWritten() throws Exception {
        AssembledSet set = assemble(sources(), 3);
        Files.createDirectories(dir.resolve("out/images"));
        Path csv = dir.resolve("out/m4d.csv");
        assertThrows(FileAlreadyExistsException.class, () -> AssembledSetWriter.write(set, csv,
                dir.resolve("out/images")));
        assertFalse(Files.exists(csv));
        try (var files = Files.list(dir.resolve("out"))) {
            assertEquals(1, files.count(), "no temporary folder left behind");
        }
    }

    @Test
    void aBadSourceLineNamesItsFileAndLine() throws Exception {
        sources();
        Files.writeString(dir.resolve("other/list.csv"), "c.png,k1\nd.png\n");
        FileFormatException e = assertThrows(FileFormatException.class, () -> SourceSpec.parse("csv:"
                + dir.resolve("other/list.csv")).open(Long.MAX_VALUE));
        assertEquals(dir.resolve("other/list.csv") + ":2: expected 'path,label', got 'd.png'", e.getMessage());
    }
}
