package org.unicom4j.cli.assemble;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.assemble.AssembledSet;
import org.unicom4j.data.assemble.AssembledSetWriter;
import org.unicom4j.data.assemble.SourceSpec;
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
                            + "train|query|gallery (inshop) (default train), classes=A+B+... (only these classes, "
                            + "by the source's class names: an IDX file's labels, an ImageFolder's folders), "
                            + "max-per-class=N (the first N images of each class), max-images=N (whole classes, "
                            + "drawn with --seed, up to N images)."})
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
        AssembledSet set = Assembly.open(specs, minPerClass, seed);
        Path csv = out.toAbsolutePath();
        Path images = imagesDir != null ? imagesDir : csv.resolveSibling("images");
        Path json = summary != null ? summary : csv.resolveSibling(stem(csv) + ".summary.json");
        Files.createDirectories(csv.getParent());
        AssembledSetWriter.write(set, csv, images);
        OutputFiles.writeJson(json, Assembly.summary(set, csv, images, minPerClass, seed));
        System.out.print(Assembly.table(set));
        System.out.printf(Locale.ROOT, "wrote %s (%d images, %d classes) and %s%n", csv, set.entries().size(),
                set.classes(), json);
        return 0;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    }
}
