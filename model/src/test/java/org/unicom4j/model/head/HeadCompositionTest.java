package org.unicom4j.model.head;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;
import org.unicom4j.kernels.Tolerance;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitEmbedder;
import org.unicom4j.model.vit.VitInitializer;

/**
 * The composed ViT embeds as the head applied to the backbone's embeddings does (evaluation mode), with and without
 * the head's BatchNorm, for a backbone whose BatchNorm statistics are not the identity.
 */
class HeadCompositionTest {

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void composedModelEqualsHeadAfterBackbone(String name) {
        Backend backend = TestBackends.get(name);
        VitConfig config = new VitConfig(16, 1, 4, 64, 1, 1, 128, 24, 0.0);
        int images = 5, pixels = 16 * 16;
        float[] x = TestData.uniform(3, images * pixels);
        for (boolean batchNorm : new boolean[] {false, true}) {
            try (VisionTransformer backbone = new VisionTransformer(backend, config);
                 ProjectionHead head = new ProjectionHead(backend, new HeadConfig(24, 7, 0.2f, batchNorm), images)) {
                VitInitializer.initializeFromScratch(backbone, 11);
                float[] stats = TestData.uniform(12, (int) backbone.statistics().length());
                for (int i = 0; i < stats.length; i++) {
                    stats[i] = 0.5f + Math.abs(stats[i]); // running means and variances away from (0, 1)
                }
                backend.buffers().upload(stats, backbone.statistics());
                head.initialize(4);
                if (batchNorm) {
                    float[] s = TestData.uniform(5, 14);
                    for (int i = 7; i < 14; i++) {
                        s[i] = 0.3f + Math.abs(s[i]);
                    }
                    backend.buffers().upload(s, head.statistics());
                }
                float[] expected;
                try (VitEmbedder embedder = new VitEmbedder(backbone, images);
                     DeviceFloats features = backend.buffers().allocFloats(images * 24L);
                     DeviceFloats out = backend.buffers().allocFloats(images * 7L)) {
                    backend.buffers().upload(embedder.embed(x, images), features);
                    head.forwardEval(features, images, out);
                    expected = backend.buffers().download(out);
                }
                try (VisionTransformer composed = HeadComposition.compose(backbone, head);
                     VitEmbedder embedder = new VitEmbedder(composed, images)) {
                    assertEquals(7, composed.config().embedding());
                    Tolerance.assertClose(expected, embedder.embed(x, images), 1e-4, "composed vs head(backbone) "
                            + (batchNorm ? "with" : "without") + " BatchNorm");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void aHeadOnTheTokensFoldsIntoTheBackbonesOwnHead(String name) {
        Backend backend = TestBackends.get(name);
        VitConfig config = new VitConfig(16, 1, 4, 64, 1, 1, 128, 24, 0.0);
        int images = 5, pixels = 16 * 16, flat = config.flatDim();
        float[] x = TestData.uniform(8, images * pixels);
        for (boolean batchNorm : new boolean[] {false, true}) {
            try (VisionTransformer backbone = new VisionTransformer(backend, config);
                 ProjectionHead head = new ProjectionHead(backend, new HeadConfig(flat, 9, 0.2f, batchNorm), images)) {
                VitInitializer.initializeFromScratch(backbone, 2);
                head.initialize(6);
                if (batchNorm) {
                    float[] s = TestData.uniform(7, 18);
                    for (int i = 9; i < 18; i++) {
                        s[i] = 0.3f + Math.abs(s[i]);
                    }
                    backend.buffers().upload(s, head.statistics());
                }
                float[] expected;
                try (VitEmbedder tokens = new VitEmbedder(backbone, images, VitEmbedder.Output.TOKENS);
                     DeviceFloats features = backend.buffers().allocFloats((long) images * flat);
                     DeviceFloats out = backend.buffers().allocFloats(images * 9L)) {
                    assertEquals(flat, tokens.dim());
                    backend.buffers().upload(tokens.embed(x, images), features);
                    head.forwardEval(features, images, out);
                    expected = backend.buffers().download(out);
                }
                try (VisionTransformer composed = HeadComposition.composeOnTokens(backbone, head);
                     VitEmbedder embedder = new VitEmbedder(composed, images)) {
                    assertEquals(9, composed.config().embedding());
                    Tolerance.assertClose(expected, embedder.embed(x, images), 1e-4, "composed vs head(tokens) "
                            + (batchNorm ? "with" : "without") + " BatchNorm");
                }
            }
        }
    }
}
