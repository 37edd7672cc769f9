package org.unicom4j.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.training.trainer.Prefetch;

class RunConfigTest {
    private static final Path BASE = Path.of("/data/configs");
    private static final String DATA = "\"data\": {\"train\": {\"format\": \"idx\", \"images\": \"a.gz\", "
            + "\"labels\": \"../b.gz\"}}";

    private static RunConfig parse(String json) {
        return RunConfig.parse(json, BASE, "run.json");
    }

    private static String error(String json) {
        String message = assertThrows(InvalidInputException.class, () -> parse(json)).getMessage();
        assertTrue(!message.contains("\n"), "one line: " + message);
        return message;
    }

    @Test
    void readsEveryKey() {
        RunConfig c = parse("""
                {"data": {"train": {"format": "imagefolder", "root": "train", "limit": 100, "augment": "unicom",
                                    "pseudoLabels": "labels.npy"},
                          "eval": {"format": "csv", "manifest": "/abs/eval.csv"}},
                 "model": "ViT-B/32", "weights": "w.safetensors",
                 "loss": {"type": "cosface", "scale": 64, "margin": 0.2, "classRate": 0.1, "sampledDims": 256,
                          "classes": 1000},
                 "optimizer": {"lr": 1e-4, "weightDecay": 0, "prototypeLrScale": 5, "maxGradNorm": 1.5},
                 "schedule": {"type": "onecycle", "warmup": 0.05},
                 "epochs": 3, "batchSize": 64, "seed": 11, "backend": "auto", "output": "out",
                 "checkpoint": {"everySteps": 500, "keep": 3}, "loader": {"prefetch": 2, "threads": 3}}
                """);
        assertEquals("/data/configs/train", c.train().root());
        assertEquals(100, c.train().limit());
        assertEquals("unicom", c.train().augment());
        assertEquals("/data/configs/labels.npy", c.train().pseudoLabels());
        assertEquals("/abs/eval.csv", c.eval().manifest());
        assertEquals(VitConfig.B32, c.model().vit());
        assertEquals("ViT-B/32", c.model().preset());
        assertEquals("/data/configs/w.safetensors", c.model().weights());
        assertEquals(new LossSpec("cosface", 64, 0.2, 0.1, 256, 1000), c.loss());
        assertEquals(0f, c.loss().angularMargin());
        assertEquals(0.2f, c.loss().additiveMargin());
        assertEquals(new OptimizerSpec(1e-4, 0, 5, 1.5), c.optimizer());
        assertEquals(new ScheduleSpec("onecycle", 0.05), c.schedule());
        assertEquals(3, c.epochs());
        assertEquals(64, c.batchSize());
        assertEquals(11, c.seed());
        assertEquals("auto", c.backend());
        assertEquals("out", c.output());
        assertEquals(new CheckpointSpec(500, 3), c.checkpoint());
        assertEquals(new LoaderSpec(2, 3), c.loader());
        assertEquals(new Prefetch(2, 3), c.loader().toPrefetch());
        assertEquals(1.5f, c.trainConfig().maxGradNorm());
    }

    @Test
    void fillsDefaults() {
        RunConfig c = parse("{" + DATA + ", \"model\": \"tiny\"}");
        assertEquals("/data/configs/a.gz", c.train().images());
        assertEquals("/data/b.gz", c.train().labels());
        assertEquals("none", c.train().augment());
        assertNull(c.eval());
        assertEquals(new LossSpec("arcface", 32, 0.3, 1.0, VitConfig.TINY.embedding(), 0), c.loss());
        assertEquals(OptimizerSpec.defaults(), c.optimizer());
        assertEquals(new ScheduleSpec("cosine", 0.1), c.schedule());
        assertEquals(1, c.epochs());
        assertEquals(128, c.batchSize());
        assertEquals("cpu", c.backend());
        assertEquals(new CheckpointSpec(0, 2), c.checkpoint());
        assertEquals(new LoaderSpec(1, 0), c.loader());
        assertEquals(c, parse(c.toJson()), "the resolved config reads back as itself");
    }

    @Test
    void presetNamesAreSpelledLoosely() {
        for (String name : new String[] {"b16", "ViT-B/16", "vit_b_16"}) {
            assertEquals(VitConfig.B16, parse("{" + DATA + ", \"model\": \"" + name + "\"}").model().vit(), name);
        }
        assertEquals(VitConfig.L14_336, parse("{" + DATA + ", \"model\": \"ViT-L/14@336px\"}").model().vit());
    }

    @Test
    void readsAnInlineModel() {
        RunConfig c = parse("{" + DATA + ", \"model\": {\"imageSize\": 28, \"channels\": 1, \"patch\": 4, "
                + "\"width\": 96, \"depth\": 4, \"heads\": 4, \"mlpHidden\": 384, \"embedding\": 128}}");
        assertEquals(new VitConfig(28, 1, 4, 96, 4, 4, 384, 128, 0.0), c.model().vit());
        assertEquals(128, c.loss().sampledDims());
    }

    @Test
    void unknownKeysAreNamed() {
        assertEquals("run.json: unknown config key 'epoch' (known: backend, batchSize, checkpoint, data, epochs, "
                + "loader, loss, model, optimizer, output, schedule, seed, weights)",
                error("{" + DATA + ", \"model\": \"tiny\", \"epoch\": 2}"));
        assertTrue(error("{" + DATA + ", \"model\": \"tiny\", \"loss\": {\"sclae\": 3}}")
                .startsWith("run.json: unknown config key 'loss.sclae' (known in loss: classRate, classes, margin,"));
        assertTrue(error("{\"data\": {\"train\": {\"format\": \"idx\", \"images\": \"a\", \"labels\": \"b\", "
                + "\"root\": \"c\"}}, \"model\": \"tiny\"}").contains("unknown config key 'data.train.root'"));
        assertTrue(error("{" + DATA + ", \"model\": {\"imageSize\": 28, \"channels\": 1, \"patch\": 4, "
                + "\"width\": 96, \"depth\": 4, \"heads\": 4, \"mlpHidden\": 384, \"embedding\": 128, \"hd\": 1}}")
                .contains("unknown config key 'model.hd'"));
    }

    @Test
    void badValuesAreNamed() {
        String tiny = "{" + DATA + ", \"model\": \"tiny\", ";
        assertEquals("run.json: config key 'loss.type': expected one of arcface, cosface, got \"sphereface\"",
                error(tiny + "\"loss\": {\"type\": \"sphereface\"}}"));
        assertEquals("run.json: config key 'loss.classRate': expected a number in (0, 1], got 0",
                error(tiny + "\"loss\": {\"classRate\": 0}}"));
        assertEquals("run.json: config key 'epochs': expected an integer in [1, 1000000], got \"two\"",
                error(tiny + "\"epochs\": \"two\"}"));
        assertEquals("run.json: config key 'optimizer.lr': expected a finite number > 0, got -0.001",
                error(tiny + "\"optimizer\": {\"lr\": -1e-3}}"));
        assertEquals("run.json: config key 'loss.sampledDims': expected an integer in [1, 32], got 64",
                error(tiny + "\"loss\": {\"sampledDims\": 64}}"));
        assertEquals("run.json: config key 'backend': expected one of cpu, opencl, reference, auto, got \"cuda\"",
                error(tiny + "\"backend\": \"cuda\"}"));
        assertEquals("reference", parse(tiny + "\"backend\": \"reference\"}").backend());
        assertTrue(error("{" + DATA + ", \"model\": \"ViT-H/14\"}")
                .startsWith("run.json: config key 'model': expected a preset ("));
        assertEquals("run.json: config key 'model.width' is required",
                error("{" + DATA + ", \"model\": {\"imageSize\": 28, \"patch\": 4}}"));
        assertTrue(error("{" + DATA + ", \"model\": {\"imageSize\": 30, \"channels\": 1, \"patch\": 4, "
                + "\"width\": 96, \"depth\": 4, \"heads\": 4, \"mlpHidden\": 384, \"embedding\": 128}}")
                .startsWith("run.json: config key 'model': VitConfig: imageSize 30 is not a multiple of patch 4"));
        assertEquals("run.json: config key 'data.train.images' is required",
                error("{\"data\": {\"train\": {\"format\": \"idx\"}}, \"model\": \"tiny\"}"));
        assertEquals("run.json: config key 'data.train.augment': expected one of none, shift-flip, got \"unicom\"",
                error("{\"data\": {\"train\": {\"format\": \"idx\", \"images\": \"a\", \"labels\": \"b\", "
                        + "\"augment\": \"unicom\"}}, \"model\": \"tiny\"}"));
        assertEquals("run.json: config key 'data' is required", error("{\"model\": \"tiny\"}"));
        assertEquals("run.json: config key 'loader.prefetch': expected an integer in [0, 16], got -1",
                error(tiny + "\"loader\": {\"prefetch\": -1}}"));
        assertTrue(error("{" + DATA + ", \"model\": \"tiny\",}").startsWith("run.json: not valid JSON: "));
    }

    @Test
    void resumeConflictNamesTheChangedKey() {
        RunConfig c = parse("{" + DATA + ", \"model\": \"tiny\", \"epochs\": 2}");
        assertNull(c.resumeConflict(c.withBackend("opencl").withOutput("elsewhere").toJson()));
        RunConfig otherLoader = parse("{" + DATA + ", \"model\": \"tiny\", \"epochs\": 2, "
                + "\"loader\": {\"prefetch\": 0, \"threads\": 1}}");
        assertNull(c.resumeConflict(otherLoader.toJson()), "prefetching does not change the run");
        assertNull(c.resumeConflict(c.toJson().replaceFirst(",\\s*\"loader\"[^}]*}", "")),
                "a checkpoint written before the loader key existed");
        RunConfig changed = parse("{" + DATA + ", \"model\": \"tiny\", \"epochs\": 3}");
        assertEquals("config key 'epochs' is 2 here but 3 in the checkpoint", c.resumeConflict(changed.toJson()));
    }
}
