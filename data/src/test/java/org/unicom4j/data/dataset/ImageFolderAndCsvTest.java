package org.unicom4j.data.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;

/** ImageFolder trees and CSV manifests built in a temporary directory. */
class ImageFolderAndCsvTest {
    @TempDir
    Path dir;

    private Path touch(String relative) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[0]);
        return p;
    }

    @Test
    void classesAreSortedFoldersAndFilesSortedWithin() throws IOException {
        touch("zebra/b.JPG");
        touch("zebra/a.png");
        touch("cat/sub/z.jpeg");
        touch("cat/y.webp");
        touch("cat/notes.txt");
        Files.createDirectories(dir.resolve("empty"));
        FileImageDataset d = ImageFolder.read(dir);
        assertEquals(List.of("cat", "empty", "zebra"), d.classNames());
        assertEquals(List.of(dir.resolve("cat/y.webp"), dir.resolve("cat/sub/z.jpeg"), dir.resolve("zebra/a.png"),
                dir.resolve("zebra/b.JPG")), d.items().stream().map(LabeledFile::path).toList());
        assertArrayEquals(new int[] {0, 0, 2, 2}, d.labels());
    }

    @Test
    void folderWithoutClassesIsNamed() throws IOException {
        touch("loose.jpg");
        var e = assertThrows(InvalidInputException.class, () -> ImageFolder.read(dir));
        assertEquals(dir + ": no class directories; expected root/<class>/<image>", e.getMessage());
    }

    @Test
    void csvResolvesPathsAndMapsNumericLabels() throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "path,label\nimgs/a.jpg,10\n\"imgs/with,comma.jpg\",2\n/abs/c.png, 10\n");
        FileImageDataset d = CsvManifest.read(csv);
        assertEquals(List.of("2", "10"), d.classNames());
        assertArrayEquals(new int[] {1, 0, 1}, d.labels());
        assertEquals(dir.resolve("imgs/with,comma.jpg"), d.items().get(1).path());
        assertEquals(Path.of("/abs/c.png"), d.items().get(2).path());
    }

    @Test
    void csvNamedLabelsSortByName() throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "x.jpg,dog\ny.jpg,cat\n");
        FileImageDataset d = CsvManifest.read(csv);
        assertEquals(List.of("cat", "dog"), d.classNames());
        assertArrayEquals(new int[] {1, 0}, d.labels());
    }

    @Test
    void csvLineWithoutLabelIsNamed() throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "x.jpg,1\ny.jpg\n");
        var e = assertThrows(FileFormatException.class, () -> CsvManifest.read(csv));
        assertEquals(csv + ":2: expected 'path,label', got 'y.jpg'", e.getMessage());
    }
}
