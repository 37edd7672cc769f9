package org.unicom4j.cli.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.cli.CliRun.args;
import static org.unicom4j.cli.CliRun.error;
import static org.unicom4j.cli.CliRun.fixture;
import static org.unicom4j.cli.CliRun.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.cli.CliRun;
import org.unicom4j.cli.FashionMnistTestData;

/** {@code unicom4j eval} on Fashion-MNIST: the raw-pixel baseline, its compactness curve, and a model on images. */
class EvalCommandIT {
    private static final int N = 2000;

    private static JsonNode metrics(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("eval.json").toFile()).get("metrics");
    }

    @Test
    void rawPixelsLeaveOneOutAndTheirCompactnessCurve(@TempDir Path dir) throws Exception {
        Path e = FashionMnistTestData.pixelEmbeddings(dir.resolve("pixels"), N);
        CliRun r = ok("eval", "--embeddings", e.toString(), "--out", dir.resolve("loo").toString(), "--backend",
                "cpu");
        assertTrue(r.out().contains("R@8"), r.out());
        JsonNode m = metrics(dir.resolve("loo")).elements().next();
        double r1 = m.get("R@1").asDouble(), r2 = m.get("R@2").asDouble(), r4 = m.get("R@4").asDouble(),
                r8 = m.get("R@8").asDouble();
        // 1-NN on raw Fashion-MNIST pixels is about 0.8 on the full set; 2000 items leave fewer neighbours.
        assertTrue(r1 > 0.65 && r1 <= r2 && r2 <= r4 && r4 <= r8 && r8 <= 1, m.toString());
        double mapAtR = m.get("mAP@R").asDouble();
        assertTrue(mapAtR > 0 && mapAtR < r1, m.toString());

        ok("eval", "--embeddings", e.toString(), "--protocol", "compactness", "--out",
                dir.resolve("curve").toString(), "--backend", "cpu");
        JsonNode curve = metrics(dir.resolve("curve"));
        assertEquals(6, curve.size(), "32, 64, 128, 256, 512 and all 784: " + curve);
        assertEquals(r1, curve.get("784 dims").get("R@1").asDouble(), 1e-12, "the full prefix is plain R@1");
        // The first 32 pixels are the top row and a bit: far less telling than the whole picture.
        assertTrue(curve.get("32 dims").get("R@1").asDouble() < r1 - 0.2, curve.toString());
    }

    @Test
    void aModelOnIdxImagesBeatsChance(@TempDir Path dir) throws Exception {
        String images = FashionMnistTestData.images().toString(), labels = FashionMnistTestData.labels().toString();
        ok("eval", "--idx", images, labels, "--limit", "500", "--weights", fixture("tiny_vit_fp16.pt").toString(),
                "--ks", "1,10", "--out", dir.resolve("out").toString(), "--backend", "cpu");
        JsonNode m = metrics(dir.resolve("out")).elements().next();
        // A random (untrained) tiny ViT still keeps coarse shape: well above the 0.1 of chance.
        assertTrue(m.get("R@1").asDouble() > 0.2, m.toString());
        assertTrue(m.get("R@10").asDouble() >= m.get("R@1").asDouble(), m.toString());
        error(args("eval", "--idx", images, labels, "--limit", "1", "--weights",
                fixture("tiny_vit_fp16.pt").toString(), "--out", dir.resolve("one").toString(), "--backend", "cpu"),
                "1 point(s); needs at least 2");
        assertFalse(Files.exists(dir.resolve("one")));
    }
}
