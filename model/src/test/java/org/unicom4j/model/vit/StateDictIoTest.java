package org.unicom4j.model.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.checkpoint.StateDictMismatchException;

class StateDictIoTest {
    final Backend backend = TestBackends.get("cpu");

    @Test
    void exportListsEveryKeyInCheckpointOrderAndRoundTrips() throws Exception {
        try (VisionTransformer a = VitParityTest.loadSmall(backend);
             VisionTransformer b = new VisionTransformer(backend, a.config())) {
            List<StateDictIo.Entry> exported = StateDictIo.export(a);
            assertEquals(a.layout().slots().size(), exported.size());
            for (int i = 0; i < exported.size(); i++) {
                TensorSlot slot = a.layout().slots().get(i);
                assertEquals(slot.key(), exported.get(i).key());
                assertArrayEquals(slot.shape(), exported.get(i).shape());
            }
            StateDictIo.Entry counter = exported.get(exported.size() - 1);
            assertEquals("feature.3.num_batches_tracked", counter.key());
            assertTrue(counter.int64());
            assertEquals(7, counter.count()); // as randomised in the fixture

            NpyFolderSource fixture = new NpyFolderSource(VitParityTest.DIR.resolve("weights"));
            for (StateDictIo.Entry e : exported) {
                assertArrayEquals(fixture.floats(e.key()), e.values(), e.key());
            }
            StateDictIo.load(b, StateDictIo.asSource(exported));
            assertArrayEquals(backend.buffers().download(a.parameters()), backend.buffers().download(b.parameters()));
            assertArrayEquals(backend.buffers().download(a.statistics()), backend.buffers().download(b.statistics()));
            assertEquals(7, b.batchesTracked(1));
        }
    }

    @Test
    void stripsTrainingWrapperPrefixes() throws Exception {
        try (VisionTransformer a = VitParityTest.loadSmall(backend);
             VisionTransformer b = new VisionTransformer(backend, a.config())) {
            List<StateDictIo.Entry> renamed = new ArrayList<>();
            for (StateDictIo.Entry e : StateDictIo.export(a)) {
                renamed.add(new StateDictIo.Entry("_orig_mod.model." + e.key(), e.shape(), e.values(), e.int64(),
                        e.count()));
            }
            StateDictIo.load(b, StateDictIo.asSource(renamed));
            assertArrayEquals(backend.buffers().download(a.parameters()), backend.buffers().download(b.parameters()));
        }
    }

    @Test
    void numBatchesTrackedIsOptional() throws Exception {
        try (VisionTransformer a = VitParityTest.loadSmall(backend);
             VisionTransformer b = new VisionTransformer(backend, a.config())) {
            List<StateDictIo.Entry> without = new ArrayList<>(StateDictIo.export(a));
            without.removeIf(e -> e.key().endsWith("num_batches_tracked"));
            StateDictIo.load(b, StateDictIo.asSource(without));
            assertEquals(0, b.batchesTracked(0));
            assertArrayEquals(backend.buffers().download(a.statistics()), backend.buffers().download(b.statistics()));
        }
    }

    @Test
    void wrongShapeNamesKeyFoundAndExpected() throws Exception {
        try (VisionTransformer a = VitParityTest.loadSmall(backend)) {
            List<StateDictIo.Entry> entries = new ArrayList<>(StateDictIo.export(a));
            entries.replaceAll(e -> e.key().equals("blocks.1.mlp.fc1.weight")
                    ? new StateDictIo.Entry(e.key(), new long[] {48, 192}, e.values(), false, 0) : e);
            float[] before = backend.buffers().download(a.parameters());
            var ex = assertThrows(StateDictMismatchException.class,
                    () -> StateDictIo.load(a, StateDictIo.asSource(entries)));
            assertEquals("state dict key 'blocks.1.mlp.fc1.weight' has shape (48, 192), expected (192, 48) for a ViT"
                    + " 24px/8 width 48 depth 2", ex.getMessage());
            assertArrayEquals(before, backend.buffers().download(a.parameters()), "nothing loaded on error");
        }
    }

    @Test
    void otherResolutionSuggestsResizing() throws Exception {
        try (VisionTransformer a = VitParityTest.loadSmall(backend);
             VisionTransformer b = new VisionTransformer(backend, a.config().withImageSize(32))) {
            var ex = assertThrows(StateDictMismatchException.class,
                    () -> StateDictIo.load(b, StateDictIo.asSource(StateDictIo.export(a))));
            assertTrue(ex.getMessage().startsWith("state dict key 'pos_embed' has shape (1, 9, 48), expected "
                    + "(1, 16, 48)"), ex.getMessage());
            assertTrue(ex.getMessage().contains("GridResize"), ex.getMessage());
        }
    }

    @Test
    void missingAndUnexpectedKeysAreNamed() throws Exception {
        try (VisionTransformer a = VitParityTest.loadSmall(backend)) {
            List<StateDictIo.Entry> missing = new ArrayList<>(StateDictIo.export(a));
            missing.removeIf(e -> e.key().equals("feature.3.running_var"));
            var ex = assertThrows(StateDictMismatchException.class,
                    () -> StateDictIo.load(a, StateDictIo.asSource(missing)));
            assertEquals("state dict lacks key 'feature.3.running_var' with shape (24,)", ex.getMessage());

            List<StateDictIo.Entry> extra = new ArrayList<>(StateDictIo.export(a));
            extra.add(new StateDictIo.Entry("head.weight", new long[] {10, 24}, new float[240], false, 0));
            ex = assertThrows(StateDictMismatchException.class, () -> StateDictIo.load(a, StateDictIo.asSource(extra)));
            assertTrue(ex.getMessage().startsWith("state dict has unexpected key 'head.weight' with shape (10, 24)"),
                    ex.getMessage());
        }
    }
}
