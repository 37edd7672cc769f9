package org.unicom4j.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;

/**
 * The demo's class-group assembly: a second run with the same data reuses the files, other data rewrites them, and a
 * test split that lost a class (so its labels would not match the training split's) is refused in one line.
 */
class FashionMnistGroupsTest {
    @TempDir
    Path dir;

    @Test
    void reusedForTheSameDataRewrittenForOther() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a")), b = Files.createDirectories(dir.resolve("b"));
        UnifexDemoTest.idx(a, "train", 40, 1);
        UnifexDemoTest.idx(b, "train", 50, 1);
        Path out = dir.resolve("assembly/train");
        FashionMnistGroups.Split first = FashionMnistGroups.assemble(a, "train", out);
        assertTrue(first.written());
        assertEquals(40, Files.readAllLines(first.csv()).size() - 1);
        assertFalse(FashionMnistGroups.assemble(a, "train", out).written(), "the same summary: reused");
        FashionMnistGroups.Split other = FashionMnistGroups.assemble(b, "train", out);
        assertTrue(other.written());
        assertEquals(50, Files.readAllLines(other.csv()).size() - 1);
        try (Stream<Path> files = Files.walk(out.resolve("images"))) {
            assertEquals(50, files.filter(Files::isRegularFile).count(), "no PNG of the first assembly left");
        }
    }

    @Test
    void aTestSplitWithOtherLabelsIsRefused() throws Exception {
        Path data = Files.createDirectories(dir.resolve("fm"));
        UnifexDemoTest.idx(data, "train", 40, 1);
        UnifexDemoTest.idx(data, "t10k", 23, 2);  // labels 0, 1, 2 three times (kept), the others twice
        FashionMnistGroups.Split train = FashionMnistGroups.assemble(data, "train", dir.resolve("train"));
        FashionMnistGroups.Split test = FashionMnistGroups.assemble(data, "t10k", dir.resolve("test"));
        assertEquals("group 'tops': labels 0..3 in the training split but 0..1 in the test split (a class with "
                + "fewer than 3 images in one of them)", assertThrows(InvalidInputException.class,
                () -> FashionMnistGroups.checkSameLabels(train, test)).getMessage());
    }
}
