package org.unicom4j.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.training.trainer.Prefetch;

class RunConfigTest {
    private static final Path BASE = Path.of("/data/configs");
    private static final String DATA = "\"data\": {\"train\": {\"format\": \"idx\", \"images\": \"a.gz\", "
            + "\"labels\": \"../b.gz\"}}";
    /** Data with an eval set, a one-channel model and seed 40; the stages go in. */
    private static final String STAGED = "{\"data\": {\"train\": {\"format\": \"idx\", \"images\": \"a.gz\", "
            + "\"labels\": \"b.gz\"}, \"eval\": {\"format\": \"idx\", \"images\": \"c.gz\", \"labels\": \"d.gz\"}}, "
            + "\"model\": {\"imageSize\": 8, \"channels\": 1, \"patch\": 4, \"width\": 16, \"depth\": 1, "
            + "\"heads\": 2, \"mlpHidden\": 32, \"embedding\": 16}, \"seed\": 40, \"stages\": [%s]}";

    private static RunConfig parse(String json) {
        return RunConfig.parse(json, BASE, "run.json");
    }

    private static TrainStageSpec only(RunConfig c) {
        assertEquals(1, c.stages().size());
        return (TrainStageSpec) c.stages().getFirst();
    }

    private static String error(String json) {
        String message = assertThrows(InvalidConfigException.class, () -> parse(json)).getMessage();
        assertTrue(!message.contains("\n"), "one line: " + message);
        return message;
    }

    @Test
    void readsEveryKey() {
        RunConfig c = parse("""
                {"method": "unicom",
                 "data": {"train": {"format": "imagefolder", "root": "train", "limit": 100, "augment": "unicom",
                                    "pseudoLabels": "labels.npy"},
                          "eval": {"format": "csv", "manifest": "/abs/eval.csv"}},
                 "model": "ViT-B/32", "weights": "w.safetensors",
                 "loss": {"type": "cosface", "scale": 64, "margin": 0.2, "classRate": 0.1, "sampledDims": 256,
                          "classes": 1000, "prototypeInit": "class-means", "prototypeInitImages": 500},
                 "optimizer": {"lr": 1e-4, "weightDecay": 0, "prototypeLrScale": 5, "maxGradNorm": 1.5},
                 "schedule": {"type": "onecycle", "warmup": 0.05},
                 "epochs": 3, "batchSize": 64, "seed": 11, "backend": "auto", "output": "out",
                 "checkpoint": {"everySteps": 500, "keep": 3}, "loader": {"prefetch": 2, "threads": 3}}
                """);
        assertEquals("unicom", c.method());
        assertFalse(c.staged());
        assertEquals("/data/configs/train", c.train().root());
        assertEquals(100, c.train().limit());
        assertEquals("unicom", c.train().augment());
        assertEquals("/data/configs/labels.npy", c.train().pseudoLabels());
        assertEquals("/abs/eval.csv", c.eval().manifest());
        assertEquals(VitConfig.B32, c.model().vit());
        assertEquals("ViT-B/32", c.model().preset());
        assertEquals("/data/configs/w.safetensors", c.model().weights());
        TrainStageSpec train = only(c);
        assertEquals(new LossSpec("cosface", 64, 0.2, 0.1, 256, 1000, "class-means", 500), train.loss());
        assertEquals("straight-through", ((LossSpec) train.loss()).options().marginGradient(),
                "cosface as the Unicom reference");
        assertEquals(new OptimizerSpec(1e-4, 0, 5, 1.5), train.optimizer());
        assertEquals(new ScheduleSpec("onecycle", 0.05, 0.001), train.schedule());
        assertEquals(3, train.epochs());
        assertEquals(11, train.seed(), "the only stage draws from the run's seed");
        assertEquals(64, c.batchSize());
        assertEquals(11, c.seed());
        assertEquals("auto", c.backend());
        assertEquals("out", c.output());
        assertEquals(new CheckpointSpec(500, 3), c.checkpoint());
        assertEquals(new LoaderSpec(2, 3), c.loader());
        assertEquals(new Prefetch(2, 3), c.loader().toPrefetch());
        assertEquals(c, parse(c.toJson()), "the resolved config reads back as itself");
    }

    @Test
    void fillsDefaults() {
        RunConfig c = parse("{" + DATA + ", \"model\": \"tiny\"}");
        assertEquals("/data/configs/a.gz", c.train().images());
        assertEquals("/data/b.gz", c.train().labels());
        assertEquals("none", c.train().augment());
        assertNull(c.eval());
        assertEquals("unicom", c.method());
        assertEquals(new LossSpec("arcface", 32, 0.3, 1.0, VitConfig.TINY.embedding(), 0, "random", 20_000),
                only(c).loss());
        assertEquals(OptimizerSpec.defaults("unicom"), only(c).optimizer());
        assertEquals(new ScheduleSpec("cosine", 0.1, 0.001), only(c).schedule());
        assertEquals(1, only(c).epochs());
        assertEquals(128, c.batchSize());
        assertEquals("cpu", c.backend());
        assertEquals(new CheckpointSpec(0, 2), c.checkpoint());
        assertEquals(new LoaderSpec(1, 0), c.loader());
        assertEquals(c, parse(c.toJson()), "the resolved config reads back as itself");
    }

    @Test
    void readsTheInMemoryAugmentations() {
        String idx = "{\"data\": {\"train\": {\"format\": \"idx\", \"images\": \"a\", \"labels\": \"b\", %s}}, "
                + "\"model\": \"tiny\"}";
        DataSpec shift = parse(idx.formatted("\"augment\": \"shift\", \"maxShift\": 1")).train();
        assertEquals(List.of("shift", 1, false), List.of(shift.augment(), shift.maxShift(), shift.flip()));
        DataSpec shiftFlip = parse(idx.formatted("\"augment\": \"shift-flip\"")).train();
        assertEquals(List.of(2, true), List.of(shiftFlip.maxShift(), shiftFlip.flip()));
        DataSpec affine = parse(idx.formatted("\"augment\": \"affine\", \"scaleJitter\": 0.2, \"flip\": true"))
                .train();
        assertEquals(List.of(0.2, 2, true), List.of(affine.scaleJitter(), affine.maxShift(), affine.flip()));
        assertTrue(error(idx.formatted("\"augment\": \"shift\", \"flip\": true"))
                .startsWith("run.json: unknown config key 'data.train.flip'"), "flip is affine's key");
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
        assertEquals(128, ((LossSpec) only(c).loss()).sampledDims());
    }

    @Test
    void unknownKeysAreNamed() {
        assertEquals("run.json: unknown config key 'epoch' (known: backend, batchSize, checkpoint, data, epochs, "
                + "loader, loss, method, model, optimizer, output, schedule, seed, stages, weights)",
                error("{" + DATA + ", \"model\": \"tiny\", \"epoch\": 2}"));
        assertTrue(error("{" + DATA + ", \"model\": \"tiny\", \"loss\": {\"sclae\": 3}}")
                .startsWith("run.json: unknown config key 'loss.sclae' (known in loss: classRate, classes, easyMargin, margin,"));
        assertTrue(error("{\"data\": {\"train\": {\"format\": \"idx\", \"images\": \"a\", \"labels\": \"b\", "
                + "\"root\": \"c\"}}, \"model\": \"tiny\"}").contains("unknown config key 'data.train.root'"));
        assertTrue(error("{" + DATA + ", \"model\": {\"imageSize\": 28, \"channels\": 1, \"patch\": 4, "
                + "\"width\": 96, \"depth\": 4, \"heads\": 4, \"mlpHidden\": 384, \"embedding\": 128, \"hd\": 1}}")
                .contains("unknown config key 'model.hd'"));
    }

    @Test
    void badValuesAreNamed() {
        String tiny = "{" + DATA + ", \"model\": \"tiny\", ";
        assertEquals("run.json: config key 'loss.classRate': expected a number in (0, 1], got 0",
                error(tiny + "\"loss\": {\"classRate\": 0}}"));
        assertEquals("run.json: config key 'epochs': expected an integer in [1, 1000000], got \"two\"",
                error(tiny + "\"epochs\": \"two\"}"));
        assertEquals("run.json: config key 'optimizer.lr': expected a finite number > 0, got -0.001",
                error(tiny + "\"optimizer\": {\"lr\": -1e-3}}"));
        assertEquals("run.json: config key 'loss.sampledDims': expected an integer in [1, 32], got 64",
                error(tiny + "\"loss\": {\"sampledDims\": 64}}"));
        assertEquals("run.json: config key 'loss.prototypeInit': expected one of random, class-means, got \"mean\"",
                error(tiny + "\"loss\": {\"prototypeInit\": \"mean\"}}"));
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
        assertEquals("run.json: config key 'data.train.augment': expected one of none, shift, shift-flip, affine, "
                        + "two-view, got \"unicom\"",
                error("{\"data\": {\"train\": {\"format\": \"idx\", \"images\": \"a\", \"labels\": \"b\", "
                        + "\"augment\": \"unicom\"}}, \"model\": \"tiny\"}"));
        assertEquals("run.json: config key 'data' is required", error("{\"model\": \"tiny\"}"));
        assertEquals("run.json: config key 'loader.prefetch': expected an integer in [0, 16], got -1",
                error(tiny + "\"loader\": {\"prefetch\": -1}}"));
        assertTrue(error("{" + DATA + ", \"model\": \"tiny\",}").startsWith("run.json: not valid JSON: "));
        assertTrue(InvalidInputException.class.isAssignableFrom(InvalidConfigException.class), "bad input, exit 2");
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
        assertNull(c.resumeConflict(c.toJson().replaceFirst("\"method\" : \"unicom\",", "")),
                "a run saved before the method key existed reads as the default method");
        RunConfig changed = parse("{" + DATA + ", \"model\": \"tiny\", \"epochs\": 3}");
        assertEquals("config key 'epochs' is 2 here but 3 in the saved run", c.resumeConflict(changed.toJson()));
    }

    @Test
    void readsStagesWithTheirDefaults() {
        RunConfig c = parse(STAGED.formatted("""
                {"name": "hog", "type": "features", "kind": "hog", "components": 8},
                {"name": "k", "type": "kmeans", "clusters": 5},
                {"name": "px", "type": "evaluate", "of": "pixels", "title": "raw pixels"},
                {"name": "u", "type": "train", "labels": "clusters", "epochs": 2,
                 "loss": {"classRate": 0.5, "prototypeInit": "class-means"}, "evalEveryEpoch": false},
                {"name": "ft", "type": "train", "seed": 3},
                {"name": "eval", "type": "evaluate", "recallAt": [1, 5]}"""));
        assertTrue(c.staged());
        assertEquals(List.of("hog", "k", "px", "u", "ft", "eval"), c.stages().stream().map(StageSpec::name).toList());
        assertEquals(new FeaturesStageSpec("hog", 40, "hog", 8, 20_000, 0), c.stage("hog"));
        assertEquals(new KMeansStageSpec("k", 41, "features", 5, 10, "random"), c.stage("k"));
        assertEquals(new EvaluateStageSpec("px", "pixels", "raw pixels", new int[] {1, 2, 4, 8}), c.stage("px"));
        TrainStageSpec u = (TrainStageSpec) c.stage("u");
        assertEquals(43, u.seed(), "stage 3 draws from the run's seed + 3");
        assertEquals("clusters", u.labels());
        assertEquals("class-means", ((LossSpec) u.loss()).prototypeInit());
        assertFalse(u.evalEveryEpoch());
        TrainStageSpec ft = (TrainStageSpec) c.stage("ft");
        assertEquals(3, ft.seed(), "a stage's own seed");
        assertEquals("data", ft.labels());
        assertTrue(ft.evalEveryEpoch());
        assertEquals(new EvaluateStageSpec("eval", "model", "eval", new int[] {1, 5}), c.stage("eval"));
        assertEquals(c, parse(c.toJson()), "the resolved config reads back as itself");
    }

    @Test
    void stagesMustFindTheirInputsBeforeThem() {
        assertEquals("run.json: stage 'u' (stages[0]): trains on clusters, but no kmeans stage comes before it",
                error(STAGED.formatted("{\"name\": \"u\", \"type\": \"train\", \"labels\": \"clusters\"}")));
        assertEquals("run.json: stage 'k' (stages[0]): clusters features, but no features stage comes before it",
                error(STAGED.formatted("{\"name\": \"k\", \"type\": \"kmeans\", \"clusters\": 3}")));
        assertEquals("run.json: stage 'e' (stages[0]): evaluates features, but no features stage comes before it",
                error(STAGED.formatted("{\"name\": \"e\", \"type\": \"evaluate\", \"of\": \"features\"}")));
        assertEquals("run.json: stage 'a' (stages[1]): the name is used by an earlier stage",
                error(STAGED.formatted("{\"name\": \"a\", \"type\": \"train\"}, {\"name\": \"a\", "
                        + "\"type\": \"evaluate\"}")));
        assertEquals("run.json: config key 'stages[0].name': expected a folder name of letters, digits, '-' and '_' "
                + "(at most 64), got \"../x\"", error(STAGED.formatted("{\"name\": \"../x\", \"type\": \"train\"}")));
        assertEquals("run.json: config key 'stages[0].type': expected one of features, kmeans, train, evaluate, got "
                + "\"finetune\"", error(STAGED.formatted("{\"name\": \"a\", \"type\": \"finetune\"}")));
        assertTrue(error(STAGED.formatted("{\"name\": \"a\", \"type\": \"train\", \"epoch\": 2}"))
                .startsWith("run.json: unknown config key 'stages[0].epoch' (known in stages[0]: "));
        assertEquals("run.json: config key 'epochs' belongs in a train stage when 'stages' is given",
                error(STAGED.formatted("{\"name\": \"a\", \"type\": \"train\"}").replace("\"seed\"",
                        "\"epochs\": 2, \"seed\"")));
        assertEquals("run.json: config key 'stages': expected a non-empty array of objects, got []",
                error(STAGED.formatted("")));
        assertEquals("run.json: stage 'e' (stages[0]): evaluates on data.eval, which the config lacks",
                error("{" + DATA + ", \"model\": \"tiny\", \"stages\": [{\"name\": \"e\", \"type\": "
                        + "\"evaluate\"}]}"));
    }
}
