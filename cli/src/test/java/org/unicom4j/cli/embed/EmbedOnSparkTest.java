package org.unicom4j.cli.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.cli.CliRun.args;
import static org.unicom4j.cli.CliRun.error;
import static org.unicom4j.cli.CliRun.fixture;
import static org.unicom4j.cli.CliRun.ok;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.cli.CliRun;
import org.unicom4j.data.npy.NpyArray;

/** {@code embed --engine spark} on the embedded local master writes what {@code embed} writes, row for row. */
class EmbedOnSparkTest {
    private static final String PT = fixture("tiny_vit_fp16.pt").toString();

    @Test
    void sparkEngineWritesTheJvmEnginesFiles(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("images");
        for (Path p : Files.walk(fixture("images")).filter(Files::isRegularFile).toList()) {
            Path to = folder.resolve(fixture("images").relativize(p).toString());
            Files.createDirectories(to.getParent());
            Files.copy(p, to);
        }
        Files.writeString(folder.resolve("a/broken.png"), "not a png"); // skipped by both, named by both
        ok("embed", "--folder", folder.toString(), "--weights", PT, "--backend", "cpu", "--batch", "4", "--out",
                dir.resolve("jvm").toString());
        CliRun r = ok("embed", "--folder", folder.toString(), "--weights", PT, "--backend", "cpu", "--batch", "4",
                "--engine", "spark", "--master", "local[2]", "--partitions", "3", "--out",
                dir.resolve("spark").toString());
        assertTrue(r.out().contains("embedded 6 images (1 skipped)"), r.out());
        assertEquals(Files.readString(dir.resolve("jvm/manifest.csv")), Files.readString(dir.resolve(
                "spark/manifest.csv")));
        NpyArray jvm = NpyArray.read(dir.resolve("jvm/embeddings.npy"));
        NpyArray spark = NpyArray.read(dir.resolve("spark/embeddings.npy"));
        assertArrayEquals(jvm.shape(), spark.shape());
        assertArrayEquals(jvm.toFloats(), spark.toFloats());
        assertTrue(Files.readString(dir.resolve("spark/embed.json")).contains("broken.png"));
        assertTrue(Files.notExists(dir.resolve("spark/shards")), "the shards are gathered, then removed");
        // --on-bad-image stop: the task's BadImageException ends the job as bad input, in one line naming the file
        error(args("embed", "--folder", folder.toString(), "--weights", PT, "--backend", "cpu", "--engine", "spark",
                "--master", "local[2]", "--on-bad-image", "stop", "--out", dir.resolve("stop").toString()),
                "broken.png");
    }

    @Test
    void sparkOptionsAreCheckedInOneLine(@TempDir Path dir) {
        error(args("embed", "--folder", fixture("images").toString(), "--weights", PT, "--format", "parquet"),
                "--format and --partitions need --engine spark");
        error(args("embed", "--idx", "a", "b", "--weights", PT, "--engine", "spark"), "--engine spark embeds image "
                + "files");
        error(args("embed", "--folder", fixture("images").toString(), "--weights", PT, "--engine", "spark",
                "--output", "tokens", "--out", dir.resolve("tokens").toString()),
                "--output tokens runs with --engine jvm");
        assertTrue(Files.notExists(dir.resolve("tokens")), "a refused embed writes nothing");
    }
}
