package org.unicom4j.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unicom4j.cli.assemble.Assembly;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.assemble.AssembledSet;
import org.unicom4j.data.assemble.AssembledSetWriter;
import org.unicom4j.data.assemble.SourceKind;
import org.unicom4j.data.assemble.SourceSpec;
import org.unicom4j.data.assemble.SourceSummary;
import org.unicom4j.data.io.FileTrees;

/**
 * The UniFEx demo's multi-domain set (spec unifex.md, M4D-35k in miniature): Fashion-MNIST's class groups as separate
 * sources of one assembly, each with its label range: tops (T-shirt/top 0, pullover 2, coat 4, shirt 6) -> 0..3,
 * footwear (sandal 5, sneaker 7, ankle boot 9) -> 4..6, the rest (trouser 1, dress 3, bag 8) -> 7..9. Equivalent to
 * {@code unicom4j assemble --source idx:IMAGES,labels=LABELS,name=tops,classes=0+2+4+6 --source ...,name=footwear,
 * classes=5+7+9 --source ...,name=rest,classes=1+3+8} (minimum 3 images per class); a split is written as
 * {@code DIR/set.csv}, its PNG files under {@code DIR/images/<group>/} and {@code DIR/summary.json} last, and reused
 * when a previous run wrote the same summary.
 */
final class FashionMnistGroups {
    /** The groups, in label order: source name -> Fashion-MNIST labels. */
    static final Map<String, List<String>> GROUPS = groups();
    static final int MIN_PER_CLASS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One assembled split.
     *
     * @param written whether this run wrote it (false: a previous run's files were reused)
     */
    record Split(AssembledSet set, Path csv, Map<String, Object> summary, boolean written) {
    }

    private FashionMnistGroups() {
    }

    private static Map<String, List<String>> groups() {
        Map<String, List<String>> g = new LinkedHashMap<>();
        g.put("tops", List.of("0", "2", "4", "6"));
        g.put("footwear", List.of("5", "7", "9"));
        g.put("rest", List.of("1", "3", "8"));
        return g;
    }

    /** Assembles the IDX pair {@code prefix}-images/-labels of {@code data} into {@code dir}. */
    static Split assemble(Path data, String prefix, Path dir) throws IOException {
        Path images = data.resolve(prefix + "-images-idx3-ubyte.gz"), labels = data.resolve(prefix
                + "-labels-idx1-ubyte.gz");
        List<SourceSpec> specs = new ArrayList<>();
        GROUPS.forEach((name, classes) -> specs.add(new SourceSpec(name, SourceKind.IDX, images, labels, null, 0, 0,
                classes)));
        AssembledSet set = Assembly.open(specs, MIN_PER_CLASS, 0);
        Path base = dir.toAbsolutePath(), csv = base.resolve("set.csv"), pngs = base.resolve("images"),
                json = base.resolve("summary.json");
        Map<String, Object> summary = Assembly.summary(set, csv, pngs, MIN_PER_CLASS, 0);
        if (Files.isRegularFile(json) && Files.isRegularFile(csv)
                && JSON.readTree(json.toFile()).equals(JSON.readTree(JSON.writeValueAsString(summary)))) {
            return new Split(set, csv, summary, false);
        }
        FileTrees.deleteIfExists(json);
        FileTrees.deleteIfExists(csv);
        FileTrees.deleteIfExists(pngs);
        Files.createDirectories(base);
        AssembledSetWriter.write(set, csv, pngs);
        OutputFiles.writeJson(json, summary);
        return new Split(set, csv, summary, true);
    }

    /** Refuses a test split whose groups got other labels than the training split's (a class missing from it). */
    static void checkSameLabels(Split train, Split test) {
        List<SourceSummary> a = train.set().summaries(), b = test.set().summaries();
        for (int s = 0; s < a.size(); s++) {
            if (a.get(s).labelOffset() != b.get(s).labelOffset() || a.get(s).classesKept() != b.get(s).classesKept()) {
                throw new InvalidInputException("group '" + a.get(s).spec().name() + "': labels " + range(a.get(s))
                        + " in the training split but " + range(b.get(s)) + " in the test split (a class with fewer "
                        + "than " + MIN_PER_CLASS + " images in one of them)");
            }
        }
    }

    private static String range(SourceSummary s) {
        return s.labelOffset() + ".." + (s.labelOffset() + s.classesKept() - 1);
    }
}
