package org.unicom4j.model.vit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.TestBackends;

/** The folded affine head gives the same embeddings as the evaluation-mode head it replaces. */
class FoldedHeadTest {

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void foldedEqualsUnfolded(String name) throws Exception {
        Backend backend = TestBackends.get(name);
        try (VisionTransformer model = VitParityTest.loadSmall(backend);
             DeviceFloats images = VitParityTest.upload(backend,
                     NpyFolderSource.floats(VitParityTest.DIR.resolve("images.npy")));
             VitActivations act = VitActivations.forInference(backend, model.config(), 6);
             VitEmbedder embedder = new VitEmbedder(model, 4)) {
            int batch = VitParityTest.batchOf(model.config(), images);
            float[] unfolded = backend.buffers().download(model.forward(images, batch, act, false));
            // 6 images through an embedder of batch 4: one full batch and one partial
            float[] folded = embedder.embed(backend.buffers().download(images), batch);
            VitParityTest.assertRelative(unfolded, folded, "folded head vs BatchNorm head");
            VitParityTest.assertRelative(NpyFolderSource.floats(VitParityTest.DIR.resolve("eval_out.npy")), folded,
                    "folded head vs PyTorch");
        }
    }
}
