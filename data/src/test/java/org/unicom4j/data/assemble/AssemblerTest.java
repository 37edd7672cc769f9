package org.unicom4j.data.assemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.dataset.FileImageDataset;
import org.unicom4j.data.dataset.ImageDataset;
import org.unicom4j.data.dataset.LabeledFile;

/** Label offsets, the minimum per class, the per-class and per-source caps, and the summary's counts. */
class AssemblerTest {

    /** A source whose class c has sizes[c] images, items in class order interleaved as a dataset lists them. */
    private static ImageDataset source(int... sizes) {
        List<LabeledFile> items = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int longest = 0;
        for (int c = 0; c < sizes.length; c++) {
            names.add("c" + c);
            longest = Math.max(longest, sizes[c]);
        }
        for (int k = 0; k < longest; k++) {
            for (int c = 0; c < sizes.length; c++) {
                if (k < sizes[c]) {
                    items.add(new LabeledFile(Path.of("/img/c" + c + "_" + k + ".png"), c));
                }
            }
        }
        return new FileImageDataset(items, names);
    }

    private static SourceSpec spec(String s) {
        return SourceSpec.parse(s);
    }

    /**
     * Source A: classes of 4, 2, 3 images; source B: 1, 5. With the minimum 3, A keeps classes 0 and 2 (labels 0,
     * 1; class 1's 2 images dropped) and B keeps class 1 as label 2 (class 0's 1 image dropped).
     */
    @Test
    void offsetsFollowTheKeptClassesAndSmallClassesAreDropped() {
        AssembledSet set = Assembler.assemble(List.of(spec("folder:a"), spec("folder:b")),
                List.of(source(4, 2, 3), source(1, 5)), 3, 0);
        assertEquals(3, set.classes());
        assertEquals(new SourceSummary(spec("folder:a"), 0, 3, 9, 2, 7, 0, 0, 2, 0), set.summaries().get(0));
        assertEquals(new SourceSummary(spec("folder:b"), 2, 2, 6, 1, 5, 0, 0, 1, 0), set.summaries().get(1));
        Map<Integer, Integer> perLabel = new TreeMap<>();
        for (AssembledSet.Entry e : set.entries()) {
            perLabel.merge(e.label(), 1, Integer::sum);
        }
        assertEquals(Map.of(0, 4, 1, 3, 2, 5), perLabel);
        // source order within a source: A's items 0 (c0), 2 (c2), 3 (c0), ...
        assertEquals(new AssembledSet.Entry(0, 0, 0), set.entries().get(0));
        assertEquals(new AssembledSet.Entry(0, 2, 1), set.entries().get(1));
        assertEquals(new AssembledSet.Entry(1, 1, 2), set.entries().get(7));
    }

    /**
     * classes= splits one source into class groups, as the UniFEx demo splits Fashion-MNIST: source A keeps c0 and c2
     * (labels 0, 1, in the source's label order whatever the order named), source B of the same data c1 (label 2);
     * the others count as outside the classes, and the minimum still applies to the chosen ones.
     */
    @Test
    void classesSplitASourceIntoGroups() {
        ImageDataset data = source(4, 5, 3, 2);
        SourceSpec a = spec("folder:d,name=a,classes=c2+c0"), b = spec("folder:d,name=b,classes=c1+c3");
        AssembledSet set = Assembler.assemble(List.of(a, b), List.of(data, data), 3, 0);
        assertEquals(new SourceSummary(a, 0, 4, 14, 2, 7, 7, 0, 0, 0), set.summaries().get(0));
        assertEquals(new SourceSummary(b, 2, 4, 14, 1, 5, 7, 0, 2, 0), set.summaries().get(1));
        Map<Integer, Integer> labelOfClass = new TreeMap<>();
        for (AssembledSet.Entry e : set.entries()) {
            Integer before = labelOfClass.put(data.label(e.item()), e.label());
            assertTrue(before == null || before == e.label(), "one label per class");
        }
        assertEquals(Map.of(0, 0, 2, 1, 1, 2), labelOfClass);
        assertEquals("source 'a': classes= names 'c9', which is not one of its 4 classes (c0, c1, c2, c3)",
                assertThrows(InvalidInputException.class, () -> Assembler.assemble(
                        List.of(spec("folder:d,name=a,classes=c0+c9")), List.of(data), 3, 0)).getMessage());
    }

    /** max-per-class keeps each class's first images; a class cut below the minimum is then dropped whole. */
    @Test
    void perClassCapKeepsTheFirstImages() {
        AssembledSet set = Assembler.assemble(List.of(spec("folder:a,max-per-class=3")), List.of(source(10, 3, 5)),
                3, 0);
        SourceSummary s = set.summaries().getFirst();
        assertEquals(9, s.imagesKept());
        assertEquals(9, s.overMaxPerClass());
        // items alternate c0 c1 c2 c0 c1 c2 ...: the first three of each class are items 0..8
        assertTrue(set.entries().stream().allMatch(e -> e.item() < 9), "the first three rounds of items");
        assertEquals(6, Assembler.assemble(List.of(spec("folder:a,max-per-class=2")), List.of(source(10, 3, 5)), 2, 0)
                .summaries().getFirst().imagesKept());
    }

    /**
     * max-images takes whole classes in a seeded random order while they fit: 10 classes of 3..12 images under a
     * cap of 30 keep at most 30 images, no class is split, and the choice depends on the seed only.
     */
    @Test
    void imageCapKeepsWholeClassesChosenBySeed() {
        ImageDataset data = source(3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        SourceSpec capped = spec("folder:a,max-images=30");
        AssembledSet one = Assembler.assemble(List.of(capped), List.of(data), 3, 7);
        SourceSummary s = one.summaries().getFirst();
        assertTrue(s.imagesKept() <= 30 && s.imagesKept() >= 30 - 11, "kept " + s.imagesKept());
        assertEquals(75 - s.imagesKept(), s.overMaxImages());
        Map<Integer, Integer> perLabel = new TreeMap<>();
        one.entries().forEach(e -> perLabel.merge(e.label(), 1, Integer::sum));
        List<Integer> sizes = new ArrayList<>(perLabel.values());
        assertTrue(sizes.stream().allMatch(n -> n >= 3), "whole classes: " + sizes);
        assertEquals(one, Assembler.assemble(List.of(capped), List.of(data), 3, 7));
        boolean differs = false;
        for (long seed = 8; seed < 20 && !differs; seed++) {
            differs = !Assembler.assemble(List.of(capped), List.of(data), 3, seed).entries().equals(one.entries());
        }
        assertTrue(differs, "another seed chooses other classes");
        assertNotEquals(0, s.classesKept());
    }

    @Test
    void nothingLeftIsAnError() {
        assertEquals("no class of any source has 3 or more images: nothing to assemble",
                assertThrows(InvalidInputException.class, () -> Assembler.assemble(List.of(spec("folder:a")),
                        List.of(source(2, 1)), 3, 0)).getMessage());
        assertEquals("the minimum images per class must be >= 1, got 0",
                assertThrows(InvalidInputException.class, () -> Assembler.assemble(List.of(spec("folder:a")),
                        List.of(source(2, 1)), 0, 0)).getMessage());
    }
}
