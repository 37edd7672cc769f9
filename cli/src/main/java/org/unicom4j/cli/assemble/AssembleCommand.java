package org.unicom4j.cli.assemble;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.assemble.AssembledSet;
import org.unicom4j.data.assemble.AssembledSetWriter;
import org.unicom4j.data.assemble.Assembler;
import org.unicom4j.data.assemble.SourceKind;
import org.unicom4j.data.assemble.SourceSpec;
import org.unicom4j.data.assemble.SourceSummary;
import org.unicom4j.data.dataset.ImageDataset;
import org.unicom4j.data.image.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code unicom4j assemble}: labelled sources -> one {@code img_path,label} CSV with label offsets + a summary. */
@Command(name = "assemble", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Merge labelled sources into one multi-domain training set (the shape of UniFEx's M4D-35k): "
                + "each source's classes get the labels after the previous source's, classes with fewer than "
                + "--min-per-class images are dropped, and a source may be capped.",
                "Writes OUT (img_path,label per image; embed, train and eval read it with --csv), the PNG files of "
                        + "IDX sources under --images-dir, and a JSON summary per source (classes and images kept "
                        + "and dropped, label offset)."})
public final class AssembleCommand implements Callable<Integer> {

    @Option(names = "--source", required = true, paramLabel = "KIND:PATH[,key=value...]",
            description = {"a labelled source, repeatable, in label order. KIND: csv (path,label lines), folder "
                    + "(ImageFolder), cub, sop, inshop (benchmark roots), idx (image file, with labels=FILE).",
                    "Options: name=NAME (default: the file name), split=train|test (cub, sop) or "
                            + "train|query|gallery (inshop) (default train), max-per-class=N (the first N images of "
                            + "each class), max-images=N (whole classes, drawn with --seed, up to N images)."})
    List<String> sources;

    @Option(names = "--out", defaultValue = "runs/assemble/train.csv", paramLabel = "FILE",
            description = "the merged CSV (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--min-per-class", defaultValue = "3", paramLabel = "N",
            description = "drop classes with fewer images, after max-per-class (default: ${DEFAULT-VALUE}, as M4D-35k)")
    int minPerClass;

    @Option(names = "--seed", defaultValue = "0", description = "the draw of classes under max-images "
            + "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--images-dir", paramLabel = "DIR",
            description = "where IDX sources' images are written, DIR/<source name>/<item>.png; it must not exist "
                    + "(default: images/ beside OUT)")
    Path imagesDir;

    @Option(names = "--summary", paramLabel = "FILE",
            description = "the JSON summary (default: OUT with .summary.json for .csv)")
    Path summary;

    @Override
    public Integer call() throws Exception {
        List<SourceSpec> specs = new ArrayList<>();
        for (String s : sources) {
            specs.add(SourceSpec.parse(s));
        }
        if (specs.stream().map(SourceSpec::name).distinct().count() < specs.size()) {
            throw new InvalidInputException("two sources have the same name; tell them apart with name=");
        }
        List<ImageDataset> datasets = new ArrayList<>();
        for (SourceSpec s : specs) {
            datasets.add(s.open(ImageDecoder.DEFAULT_MAX_PIXELS));
        }
        AssembledSet set = Assembler.assemble(specs, datasets, minPerClass, seed);
        Path csv = out.toAbsolutePath();
        Path images = imagesDir != null ? imagesDir : csv.resolveSibling("images");
        Path json = summary != null ? summary : csv.resolveSibling(stem(csv) + ".summary.json");
        Files.createDirectories(csv.getParent());
        AssembledSetWriter.write(set, csv, images);
        OutputFiles.writeJson(json, report(set, csv, images));
        System.out.print(table(set));
        System.out.printf(Locale.ROOT, "wrote %s (%d images, %d classes) and %s%n", csv, set.entries().size(),
                set.classes(), json);
        return 0;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    }

    private Map<String, Object> report(AssembledSet set, Path csv, Path images) {
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
            dropped.put("over_max_per_class", s.overMaxPerClass());
            dropped.put("below_min_per_class", s.belowMinPerClass());
            dropped.put("over_max_images", s.overMaxImages());
            m.put("dropped", dropped);
            Map<String, Object> caps = new LinkedHashMap<>();
            caps.put("max_per_class", s.spec().maxPerClass() > 0 ? s.spec().maxPerClass() : null);
            caps.put("max_images", s.spec().maxImages() > 0 ? s.spec().maxImages() : null);
            m.put("caps", caps);
            perSource.add(m);
        }
        r.put("sources", perSource);
        return r;
    }

    private static Map<String, Integer> inAndKept(int in, int kept) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("in", in);
        m.put("kept", kept);
        return m;
    }

    private static String table(AssembledSet set) {
        int width = Math.max(6, set.summaries().stream().mapToInt(s -> s.spec().name().length()).max().orElse(0));
        String row = "%-" + width + "s  %8s  %10s  %8s  %10s  %10s  %10s  %10s%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, row, "source", "offset", "classes", "kept",
                "images", "kept", "< min", "capped"));
        for (SourceSummary s : set.summaries()) {
            sb.append(String.format(Locale.ROOT, row, s.spec().name(), s.labelOffset(), s.classesIn(), s.classesKept(),
                    s.imagesIn(), s.imagesKept(), s.belowMinPerClass(), s.overMaxPerClass() + s.overMaxImages()));
        }
        return sb.toString();
    }
}
