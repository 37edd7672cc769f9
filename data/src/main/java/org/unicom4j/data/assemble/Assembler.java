package org.unicom4j.data.assemble;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.dataset.ImageDataset;

/**
 * Merges labelled sources into one label space, source by source: within a source, (0) only the classes its
 * {@code classes=} names (all without it), (1) each class keeps its first
 * {@code max-per-class} images, (2) classes left with fewer than {@code minPerClass} images are dropped, (3) under
 * {@code max-images}, whole classes are taken in a random order drawn from {@code seed} while they fit (so the cap
 * never leaves a class below the minimum); the kept classes, in the source's label order, get the labels that
 * follow the previous sources' (UniFEx's M4D-35k: four sources, classes under 3 images dropped, label offsets, one
 * shared classifier).
 */
public final class Assembler {
    private Assembler() {
    }

    public static AssembledSet assemble(List<SourceSpec> specs, List<ImageDataset> datasets, int minPerClass,
                                        long seed) {
        if (minPerClass < 1) {
            throw new InvalidInputException("the minimum images per class must be >= 1, got " + minPerClass);
        }
        List<AssembledSet.Entry> entries = new ArrayList<>();
        List<SourceSummary> summaries = new ArrayList<>();
        int offset = 0;
        for (int s = 0; s < specs.size(); s++) {
            SourceSummary summary = select(s, specs.get(s), datasets.get(s), minPerClass, seed, offset, entries);
            summaries.add(summary);
            offset += summary.classesKept();
        }
        if (entries.isEmpty()) {
            throw new InvalidInputException("no class of any source has " + minPerClass + " or more images: nothing "
                    + "to assemble");
        }
        return new AssembledSet(List.copyOf(datasets), List.copyOf(entries), List.copyOf(summaries));
    }

    private static SourceSummary select(int s, SourceSpec spec, ImageDataset data, int minPerClass, long seed,
                                        int offset, List<AssembledSet.Entry> out) {
        int classes = data.classCount();
        boolean[] chosen = chosen(spec, data);
        List<List<Integer>> members = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            members.add(new ArrayList<>());
        }
        int outside = 0, overPerClass = 0;
        for (int i = 0; i < data.size(); i++) {
            List<Integer> m = members.get(data.label(i));
            if (!chosen[data.label(i)]) {
                outside++;
            } else if (spec.maxPerClass() > 0 && m.size() == spec.maxPerClass()) {
                overPerClass++;
            } else {
                m.add(i);
            }
        }
        boolean[] kept = new boolean[classes];
        int belowMin = 0;
        List<Integer> candidates = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            if (!chosen[c]) {
                continue;
            }
            if (members.get(c).size() < minPerClass) {
                belowMin += members.get(c).size();
            } else {
                candidates.add(c);
            }
        }
        int overMaxImages = 0;
        if (spec.maxImages() > 0) {
            Collections.shuffle(candidates, new Random(seed + s));
        }
        long total = 0;
        for (int c : candidates) {
            int size = members.get(c).size();
            if (spec.maxImages() > 0 && total + size > spec.maxImages()) {
                overMaxImages += size;
            } else {
                kept[c] = true;
                total += size;
            }
        }
        int[] label = new int[classes];
        int next = offset;
        for (int c = 0; c < classes; c++) {
            label[c] = kept[c] ? next++ : -1;
        }
        int imagesKept = 0;
        for (int i = 0; i < data.size(); i++) {
            int c = data.label(i);
            if (kept[c] && isMember(members.get(c), i)) {
                out.add(new AssembledSet.Entry(s, i, label[c]));
                imagesKept++;
            }
        }
        return new SourceSummary(spec, offset, classes, data.size(), next - offset, imagesKept, outside,
                overPerClass, belowMin, overMaxImages);
    }

    /** The classes {@code classes=} names, by the source's class names (all of them without it). */
    private static boolean[] chosen(SourceSpec spec, ImageDataset data) {
        boolean[] chosen = new boolean[data.classCount()];
        if (spec.classes().isEmpty()) {
            Arrays.fill(chosen, true);
            return chosen;
        }
        List<String> names = data.classNames();
        for (String name : spec.classes()) {
            int c = names.indexOf(name);
            if (c < 0) {
                throw new InvalidInputException("source '" + spec.name() + "': classes= names '" + name + "', which "
                        + "is not one of its " + names.size() + " classes (" + String.join(", ",
                        names.subList(0, Math.min(5, names.size()))) + (names.size() > 5 ? ", ..." : "") + ")");
            }
            chosen[c] = true;
        }
        return chosen;
    }

    /** Members are in item order and a prefix of the class's items, so the last one bounds them. */
    private static boolean isMember(List<Integer> members, int item) {
        return !members.isEmpty() && item <= members.getLast();
    }
}
