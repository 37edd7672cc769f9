package org.unicom4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.FileFormatException;

/** Name and shape checks, and prefix stripping. */
class StateDictTest {
    private static StateDict of(String... names) {
        List<HostTensor> tensors = new ArrayList<>();
        for (String n : names) {
            tensors.add(HostTensor.ofFloats(n, new float[6], 2, 3));
        }
        return StateDict.of("ckpt.pt", tensors);
    }

    @Test
    void requireChecksTheShapeInOneLine() {
        StateDict sd = StateDict.of("FP16-ViT-B-32.pt", List.of(
                HostTensor.ofFloats("feature.0.weight", new float[6], 2, 3),
                HostTensor.ofLongs("feature.1.num_batches_tracked", new long[] {7})));
        assertEquals(6, sd.require("feature.0.weight", 2, 3).numel());
        assertEquals(7.0, sd.require("feature.1.num_batches_tracked").item());
        var e = assertThrows(StateDictMismatchException.class,
                () -> sd.require("feature.0.weight", 768, 37632));
        assertEquals("FP16-ViT-B-32.pt: tensor 'feature.0.weight' has shape (2, 3), expected (768, 37632)",
                e.getMessage());
        e = assertThrows(StateDictMismatchException.class, () -> sd.require("feature.1.num_batches_tracked", 1));
        assertEquals("FP16-ViT-B-32.pt: tensor 'feature.1.num_batches_tracked' has shape (), expected (1,)",
                e.getMessage());
    }

    @Test
    void missingNamesGetAHint() {
        StateDict sd = of("module.pos_embed", "module.norm.weight");
        assertEquals("ckpt.pt: no tensor 'pos_embed' (found 'module.pos_embed': strip its prefix with stripPrefixes())",
                assertThrows(StateDictMismatchException.class, () -> sd.get("pos_embed")).getMessage());
        assertEquals("ckpt.pt: no tensor 'head' (2 tensors, the first is 'module.pos_embed')",
                assertThrows(StateDictMismatchException.class, () -> sd.get("head")).getMessage());
    }

    @Test
    void requireExactlyListsMissingAndUnexpected() {
        StateDict sd = of("a", "b", "extra");
        assertEquals("ckpt.pt: 1 missing 'c'; 1 unexpected 'extra' (3 expected, 3 found)",
                assertThrows(StateDictMismatchException.class, () -> sd.requireExactly(List.of("a", "b", "c")))
                        .getMessage());
        sd.requireExactly(List.of("extra", "b", "a"));
    }

    @Test
    void stripsNestedWrapperPrefixesOnlyWhenEveryNameHasThem() {
        StateDict sd = of("_orig_mod.module.a", "_orig_mod.module.b.c");
        StateDict stripped = sd.stripPrefixes();
        assertEquals(List.of("a", "b.c"), new ArrayList<>(stripped.names()));
        assertEquals(List.of("_orig_mod.", "module."), stripped.strippedPrefixes());
        assertEquals("stripped prefix '_orig_mod.module.' from all 2 names", stripped.describeStripping());

        StateDict mixed = of("module.a", "b");
        assertSame(mixed, mixed.stripPrefixes());
        assertEquals("no prefix stripped", mixed.stripPrefixes().describeStripping());

        // A name that is only the prefix would become empty: leave such a dict alone.
        StateDict bare = of("model.", "model.x");
        assertSame(bare, bare.stripPrefixes());
    }

    @Test
    void duplicateNamesAreRefused() {
        assertEquals("ckpt.pt: duplicate tensor name 'a'",
                assertThrows(FileFormatException.class, () -> of("a", "a")).getMessage());
    }

    @Test
    void elementCountSumsEveryTensor() {
        assertEquals(18, of("a", "b", "c").elementCount());
    }
}
