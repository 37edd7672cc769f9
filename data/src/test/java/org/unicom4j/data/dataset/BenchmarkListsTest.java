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
import org.unicom4j.data.TestFiles;

/** The benchmark list files as they ship, on small hand-written copies (data/src/test/resources/lists). */
class BenchmarkListsTest {
    @TempDir
    Path dir;

    @Test
    void cubSplitsByClassAndNumbersEachHalfFromZero() throws IOException {
        Path root = TestFiles.resource("lists/cub");
        TrainTestSplit s = Cub200.read(root);
        assertEquals(4, s.train().size());
        assertEquals(3, s.test().size());
        assertArrayEquals(new int[] {0, 0, 1, 99}, s.train().labels());
        assertArrayEquals(new int[] {0, 99, 0}, s.test().labels());
        assertEquals(100, s.train().classCount());
        assertEquals("101.White_Pelican", s.test().classNames().get(0));
        assertEquals("3", s.train().classNames().get(2), "a class missing from classes.txt keeps its number");
        assertEquals(root.resolve("images/200.Common_Yellowthroat/Common_Yellowthroat_0003_190521.jpg"),
                s.test().items().get(1).path());
    }

    @Test
    void cubImageWithoutLabelIsNamed() throws IOException {
        Files.writeString(dir.resolve("images.txt"), "1 a/x.jpg\n2 a/y.jpg\n");
        Files.writeString(dir.resolve("image_class_labels.txt"), "1 1\n");
        var e = assertThrows(FileFormatException.class, () -> Cub200.read(dir));
        assertEquals(dir.resolve("images.txt") + ":2: image id 2 has no line in image_class_labels.txt: '2 a/y.jpg'",
                e.getMessage());
    }

    @Test
    void cubBadClassIsNamed() throws IOException {
        Files.writeString(dir.resolve("images.txt"), "1 a/x.jpg\n");
        Files.writeString(dir.resolve("image_class_labels.txt"), "1 201\n");
        var e = assertThrows(FileFormatException.class, () -> Cub200.read(dir));
        assertEquals(dir.resolve("image_class_labels.txt") + ":1: class 201 out of range 1..200: '1 201'",
                e.getMessage());
    }

    @Test
    void sopRenumbersClassesInIdOrder() throws IOException {
        Path root = TestFiles.resource("lists/sop");
        TrainTestSplit s = StanfordOnlineProducts.read(root);
        assertArrayEquals(new int[] {0, 0, 1, 2}, s.train().labels());
        assertEquals(List.of("1", "7", "11318"), s.train().classNames());
        assertArrayEquals(new int[] {0, 1, 0}, s.test().labels());
        assertEquals(root.resolve("toaster_final/111818186823_2.JPG"), s.test().items().get(1).path());
    }

    @Test
    void sopNonNumericClassIsNamed() throws IOException {
        Files.writeString(dir.resolve("Ebay_train.txt"), "image_id class_id super_class_id path\n1 x 1 a.jpg\n");
        Files.writeString(dir.resolve("Ebay_test.txt"), "image_id class_id super_class_id path\n");
        var e = assertThrows(FileFormatException.class, () -> StanfordOnlineProducts.read(dir));
        assertEquals(dir.resolve("Ebay_train.txt") + ":2: field 2 'x' is not an integer: '1 x 1 a.jpg'",
                e.getMessage());
    }

    @Test
    void inShopQueryAndGalleryShareItemNumbers() throws IOException {
        Path root = TestFiles.resource("lists/inshop");
        QueryGallerySplit s = InShopClothes.read(root);
        assertEquals(2, s.train().size());
        assertArrayEquals(new int[] {0, 0}, s.train().labels());
        // eval items sorted: id_00000001 -> 0, id_00000007 -> 1, id_00000080 -> 2
        assertArrayEquals(new int[] {0, 2}, s.query().labels());
        assertArrayEquals(new int[] {1, 0}, s.gallery().labels());
        assertEquals(List.of("id_00000001", "id_00000007", "id_00000080"), s.query().classNames());
        assertEquals(root.resolve("img/MEN/Denim/id_00000080/01_7_additional.jpg"), s.query().items().get(1).path());
    }

    @Test
    void inShopCountMismatchIsNamed() throws IOException {
        Files.writeString(dir.resolve("list_eval_partition.txt"),
                "3\nimage_name item_id evaluation_status\nimg/a.jpg id_1 query\n");
        var e = assertThrows(FileFormatException.class, () -> InShopClothes.read(dir));
        assertEquals(dir.resolve("list_eval_partition.txt") + ": first line declares 3 images, found 1",
                e.getMessage());
    }

    @Test
    void inShopUnknownStatusIsNamed() throws IOException {
        Files.writeString(dir.resolve("list_eval_partition.txt"),
                "1\nimage_name item_id evaluation_status\nimg/a.jpg id_1 validation\n");
        var e = assertThrows(FileFormatException.class, () -> InShopClothes.read(dir));
        assertEquals(dir.resolve("list_eval_partition.txt")
                + ":3: evaluation_status 'validation' is not train, query or gallery: 'img/a.jpg id_1 validation'",
                e.getMessage());
    }

    @Test
    void missingListFileIsAnIoError() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Cub200.read(dir));
    }
}
