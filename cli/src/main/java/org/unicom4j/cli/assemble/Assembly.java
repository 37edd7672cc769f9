package org.unicom4j.cli.assemble;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.assemble.AssembledSet;
import org.unicom4j.data.assemble.Assembler;
import org.unicom4j.data.assemble.SourceKind;
import org.unicom4j.data.assemble.SourceSpec;
import org.unicom4j.data.assemble.SourceSummary;
import org.unicom4j.data.dataset.ImageDataset;
import org.unicom4j.data.image.ImageDecoder;

/**
 * An assembly as {@code unicom4j assemble} and {@code demo --method unifex} run it: the sources opened and merged
 * ({@link #open}), and what is reported of it: the JSON summary per source ({@link #summary}) and the printed table
 * ({@link #table}).
 */
public final class Assembly {
    private Assembly() {
    }

    /** Opens each source with its reader and merges them (nothing is written). */
    public static AssembledSet open(List<SourceSpec> specs, int minPerClass, long seed) throws IOException {
        if (specs.stream().map(SourceSpec::name).distinct().count() < specs.size()) {
            throw new InvalidInputException("two sources have the same name; tell them apart with name=");
        }
        List<ImageDataset> datasets = new ArrayList<>();
        for (SourceSpec s : specs) {
            datasets.add(s.open(ImageDecoder.DEFAULT_MAX_PIXELS));
        }
        return Assembler.assemble(specs, datasets, minPerClass, seed);
    }

    /** The summary JSON of {@code set} written as {@code csv}, IDX images under {@code images}. */
    public static Map<String, Object> summary(AssembledSet set, Path csv, Path images, int minPerClass, long seed) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("csv", csv.toString());
        r.put("classes", set.classes());
        r.put("images", set.entries().size());
        r.put("min_per_class", minPerClass);
        r.put("seed", seed);
        if (set.summaries().stream().anyMatch(s -> s.spec().kind() == SourceKind.IDX && s.imagesKept() > 0)) {
            r.put("images_dir", images.toString());
        }
        List<Map<String, Object>> perSource = new ArrayList<>();
        for (SourceSummary s : set.summaries()) {
            perSource.add(source(s));
        }
        r.put("sources", perSource);
        return r;
    }

    private static Map<String, Object> source(SourceSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.spec().name());
        m.put("kind", s.spec().kind().name().toLowerCase(Locale.ROOT));
        m.put("path", s.spec().path().toAbsolutePath().toString());
        if (s.spec().split() != null) {
            m.put("split", s.spec().split());
        }
        m.put("label_offset", s.labelOffset());
        m.put("classes", inAndKept(s.classesIn(), s.classesKept()));
        m.put("images", inAndKept(s.imagesIn(), s.imagesKept()));
        Map<String, Object> dropped = new LinkedHashMap<>();
        dropped.put("outside_classes", s.outsideClasses());
        dropped.put("over_max_per_class", s.overMaxPerClass());
        dropped.put("below_min_per_class", s.belowMinPerClass());
        dropped.put("over_max_images", s.overMaxImages());
        m.put("dropped", dropped);
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("classes", s.spec().classes().isEmpty() ? null : s.spec().classes());
        caps.put("max_per_class", s.spec().maxPerClass() > 0 ? s.spec().maxPerClass() : null);
        caps.put("max_images", s.spec().maxImages() > 0 ? s.spec().maxImages() : null);
        m.put("caps", caps);
        return m;
    }

    private static Map<String, Integer> inAndKept(int in, int kept) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("in", in);
        m.put("kept", kept);
        return m;
    }

    /** One line per source: label offset, classes and images in and kept, and the images dropped by each rule. */
    public static String table(AssembledSet set) {
        int width = Math.max(6, set.summaries().stream().mapToInt(s -> s.spec().name().length()).max().orElse(0));
        String row = "%-" + width + "s  %8s  %10s  %8s  %10s  %10s  %10s  %10s  %10s%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, row, "source", "offset", "classes", "kept",
                "images", "kept", "not chosen", "< min", "capped"));
        for (SourceSummary s : set.summaries()) {
            sb.append(String.format(Locale.ROOT, row, s.spec().name(), s.labelOffset(), s.classesIn(), s.classesKept(),
                    s.imagesIn(), s.imagesKept(), s.outsideClasses(), s.belowMinPerClass(),
                    s.overMaxPerClass() + s.overMaxImages()));
        }
        return sb.toString();
    }
}
