package org.unicom4j.model.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unicom4j.kernels.Tolerance;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.TestBackends;

class VitActivationsTest {
    final Backend backend = TestBackends.get("cpu");

    @Test
    void sizeMatchesThePlan() {
        for (VitConfig c : List.of(VitConfig.TINY, new VitConfig(24, 1, 8, 48, 3, 3, 100, 24, 0.1))) {
            for (int batch : new int[] {1, 3}) {
                try (VitActivations t = VitActivations.forTraining(backend, c, batch);
                     VitActivations i = VitActivations.forInference(backend, c, batch)) {
                    assertEquals(VitActivations.floatsNeeded(c, batch, true), t.totalFloats());
                    assertEquals(VitActivations.floatsNeeded(c, batch, false), i.totalFloats());
                    assertTrue(i.totalFloats() < t.totalFloats());
                }
            }
        }
    }

    @Test
    void releasedModelsNeedSeveralBuffersAtLargeBatches() {
        // L/14@336 training at batch 64 plans more floats than one device buffer may hold
        assertTrue(VitActivations.floatsNeeded(VitConfig.L14_336, 64, true) > Integer.MAX_VALUE);
    }

    @Test
    void arenaPacksTensorsIntoChunksWithoutSplittingThem() {
        try (ActivationArena arena = new ActivationArena(10)) {
            int a = arena.request("a", 6), b = arena.request("b", 5), c = arena.request("c", 4),
                    d = arena.request("d", 10);
            arena.allocate(backend);
            assertEquals(3, arena.chunkCount());
            assertEquals(6, arena.get(a).length());
            assertEquals(5, arena.get(b).length());
            assertEquals(10, arena.get(d).length());
            backend.buffers().fill(arena.get(b), 2f);
            backend.buffers().fill(arena.get(c), 3f);
            assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0}, backend.buffers().download(arena.get(a)));
            assertArrayEquals(new float[] {2, 2, 2, 2, 2}, backend.buffers().download(arena.get(b)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ActivationArena(10).request("big", 11));
            assertTrue(e.getMessage().contains("'big' needs 11 floats"), e.getMessage());
        }
    }

    @Test
    void inferenceBuffersGiveTheSameEvalOutputAsTrainingBuffers() throws Exception {
        try (VisionTransformer model = VitParityTest.loadSmall(backend);
             DeviceFloats images = VitParityTest.upload(backend,
                     NpyFolderSource.floats(VitParityTest.DIR.resolve("images.npy")));
             VitActivations train = VitActivations.forTraining(backend, model.config(), 6);
             VitActivations infer = VitActivations.forInference(backend, model.config(), 6)) {
            float[] a = backend.buffers().download(model.forward(images, 6, train, false));
            float[] b = backend.buffers().download(model.forward(images, 6, infer, false));
            assertArrayEquals(a, b);
            // a prefix of the batch gives the prefix of the output (evaluation mode has no batch coupling)
            float[] c = backend.buffers().download(model.forward(images, 2, infer, false));
            assertArrayEquals(java.util.Arrays.copyOf(a, c.length), c);
        }
    }

    @Test
    void aSmallerTrainingBatchUsesAPrefixOfLargerBuffers() throws Exception {
        try (VisionTransformer model = VitParityTest.loadSmall(backend);
             DeviceFloats images = VitParityTest.upload(backend,
                     NpyFolderSource.floats(VitParityTest.DIR.resolve("images.npy")));
             DeviceFloats dOut = VitParityTest.upload(backend,
                     NpyFolderSource.floats(VitParityTest.DIR.resolve("loss_weights.npy")));
             VitActivations exact = VitActivations.forTraining(backend, model.config(), 4);
             VitActivations larger = VitActivations.forTraining(backend, model.config(), 6)) {
            float[][] out = new float[2][], grad = new float[2][];
            VitActivations[] acts = {exact, larger};
            for (int i = 0; i < 2; i++) {
                model.zeroGradients();
                out[i] = backend.buffers().download(model.forward(images, 4, acts[i], true));
                model.backward(dOut, acts[i]);
                grad[i] = backend.buffers().download(model.gradients());
            }
            // Equal up to float rounding: the blocked kernels may sum in another order when the same tensor sits
            // at another offset of a larger arena, so bit equality is not promised.
            Tolerance.assertClose(out[0], out[1], 1e-5, "outputs, batch 4 in buffers for 4 and 6");
            Tolerance.assertClose(grad[0], grad[1], 1e-5, "gradients, batch 4 in buffers for 4 and 6");
        }
    }

    @Test
    void backwardNeedsATrainingForward() throws Exception {
        try (VisionTransformer model = VitParityTest.loadSmall(backend);
             DeviceFloats images = VitParityTest.upload(backend,
                     NpyFolderSource.floats(VitParityTest.DIR.resolve("images.npy")));
             VitActivations train = VitActivations.forTraining(backend, model.config(), 6);
             DeviceFloats dOut = backend.buffers().allocFloats(6L * model.config().embedding())) {
            model.forward(images, 6, train, false);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.backward(dOut, train));
            assertTrue(e.getMessage().contains("training-mode forward"), e.getMessage());
            IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(images, 7, train, true));
            assertEquals("batch = 7, activations hold 1..6", tooMany.getMessage());
        }
    }
}
