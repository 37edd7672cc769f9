package org.unicom4j.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code loss} for every type of the margin-loss family: each type's defaults, its own keys read and range-checked,
 * keys of other types refused with a line naming the types they apply to, the resolved config round-tripping.
 */
class LossSpecTest {
    private static final String RUN = "{\"data\": {\"train\": {\"format\": \"idx\", \"images\": \"a.gz\", "
            + "\"labels\": \"b.gz\"}}, \"model\": \"tiny\", \"loss\": %s}";

    private static LossSpec loss(String json) {
        RunConfig c = RunConfig.parse(RUN.formatted(json), Path.of("/r"), "run.json");
        return (LossSpec) ((TrainStageSpec) c.stages().getFirst()).loss();
    }

    private static String error(String json) {
        String m = assertThrows(InvalidConfigException.class,
                () -> RunConfig.parse(RUN.formatted(json), Path.of("/r"), "run.json")).getMessage();
        assertTrue(!m.contains("\n"), "one line: " + m);
        return m;
    }

    @Test
    void everyTypeHasItsPapersDefaults() {
        LossSpec sub = loss("{\"type\": \"subcenter-arcface\"}");
        assertEquals(30, sub.scale());
        assertEquals(0.5, sub.margin());
        assertEquals(3, sub.options().subCentres());
        assertEquals("exact", sub.options().marginGradient());
        assertEquals("straight-through", loss("{\"type\": \"arcface\"}").options().marginGradient());
        LossSpec dynamic = loss("{\"type\": \"dynamic-arcface\"}");
        assertEquals(0.2, dynamic.options().marginMin());
        assertEquals(0.5, dynamic.options().marginMax());
        assertEquals(0, loss("{\"type\": \"adacos\"}").scale(), "adacos adapts its own scale");
        LossSpec curricular = loss("{\"type\": \"curricularface\"}");
        assertEquals(64, curricular.scale());
        assertEquals(0.5, curricular.margin());
        LossSpec ada = loss("{\"type\": \"adaface\"}");
        assertEquals(0.4, ada.margin());
        assertEquals(0.333, ada.options().h());
        assertEquals(0.01, ada.options().normMomentum());
        assertEquals(32, ada.sampledDims(), "every dimension of the tiny model");
        assertEquals(0.45, loss("{\"type\": \"li-arcface\"}").margin());
    }

    @Test
    void typeSpecificKeysAreReadAndChecked() {
        LossSpec l = loss("{\"type\": \"subcenter-arcface\", \"subCentres\": 5, \"easyMargin\": true, "
                + "\"marginGradient\": \"straight-through\", \"scale\": 16}");
        assertEquals(5, l.options().subCentres());
        assertTrue(l.options().easyMargin());
        assertEquals("straight-through", l.options().marginGradient());
        assertEquals("run.json: config key 'loss.subCentres': expected an integer in [1, 64], got 0",
                error("{\"type\": \"subcenter-arcface\", \"subCentres\": 0}"));
        assertEquals("run.json: config key 'loss.marginMax': expected a number in [loss.marginMin = 0.4, 1.5], got 0.3",
                error("{\"type\": \"dynamic-arcface\", \"marginMin\": 0.4, \"marginMax\": 0.3}"));
        assertEquals("run.json: config key 'loss.normMomentum': expected a number in [1.0E-9, 1], got 2",
                error("{\"type\": \"adaface\", \"normMomentum\": 2}"));
        assertEquals("run.json: config key 'loss.margin': expected a number in [0, 1.5], got -0.1",
                error("{\"type\": \"li-arcface\", \"margin\": -0.1}"));
        assertEquals("run.json: config key 'loss.marginGradient': expected one of straight-through, exact, got \"full\"",
                error("{\"type\": \"arcface\", \"marginGradient\": \"full\"}"));
    }

    @Test
    void keysOfOtherTypesAndImpossibleSamplingAreRefused() {
        assertEquals("run.json: config key 'loss.h' applies to loss.type adaface, not arcface",
                error("{\"type\": \"arcface\", \"h\": 0.3}"));
        assertEquals("run.json: config key 'loss.scale' applies to loss.type arcface, cosface, subcenter-arcface, "
                + "dynamic-arcface, curricularface, adaface, li-arcface, not adacos",
                error("{\"type\": \"adacos\", \"scale\": 10}"));
        assertEquals("run.json: config key 'loss.type': expected one of arcface, cosface, subcenter-arcface, "
                + "dynamic-arcface, adacos, curricularface, adaface, li-arcface, got \"sphereface\"",
                error("{\"type\": \"sphereface\"}"));
        assertEquals("run.json: config key 'loss.classRate': expected 1 for adacos (its scale sums over every class), "
                + "got 0.5", error("{\"type\": \"adacos\", \"classRate\": 0.5}"));
        assertEquals("run.json: config key 'loss.sampledDims': expected 32 (every dimension) for adaface, which reads "
                + "the feature norm, got 16", error("{\"type\": \"adaface\", \"sampledDims\": 16}"));
    }

    @Test
    void theResolvedConfigParsesToTheSameLoss() {
        for (String type : LossSpec.TYPES) {
            RunConfig c = RunConfig.parse(RUN.formatted("{\"type\": \"" + type + "\"}"), Path.of("/r"), "run.json");
            RunConfig again = RunConfig.parse(c.toJson(), Path.of("/r"), "config.json");
            assertEquals(((TrainStageSpec) c.stages().getFirst()).loss(),
                    ((TrainStageSpec) again.stages().getFirst()).loss(), type);
        }
    }
}
