package org.unicom4j.model.head;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.BiFunction;
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
 * The composed ViT embeds as the head applied to the backbone's rows does (evaluation mode), with and without the
 * head's BatchNorm: a head on the backbone's embeddings (whose BatchNorm statistics are not the identity), and a head
 * on the tokens the backbone's own head projects.
 */
class HeadCompositionTest {
    private static final VitConfig CONFIG = new VitConfig(16, 1, 4, 64, 1, 1, 128, 24, 0.0);
    private static final int IMAGES = 5;

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void aHeadOnTheEmbeddingsFoldsIntoTheBackbonesLastLinear(String name) {
        check(TestBackends.get(name), VitEmbedder.Output.EMBEDDING, 7, HeadComposition::compose);
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void aHeadOnTheTokensReplacesTheBackbonesOwnHead(String name) {
        check(TestBackends.get(name), VitEmbedder.Output.TOKENS, 9, HeadComposition::composeOnTokens);
    }

    private static void check(Backend backend, VitEmbedder.Output input, int out,
                              BiFunction<VisionTransformer, ProjectionHead, VisionTransformer> compose) {
        float[] x = TestData.uniform(3, IMAGES * 16 * 16);
        int in = VitEmbedder.dim(CONFIG, input);
        for (boolean batchNorm : new boolean[] {false, true}) {
            String what = input + " head " + (batchNorm ? "with" : "without") + " BatchNorm";
            try (VisionTransformer backbone = new VisionTransformer(backend, CONFIG);
                 ProjectionHead head = new ProjectionHead(backend, new HeadConfig(in, out, 0.2f, batchNorm), IMAGES)) {
                VitInitializer.initializeFromScratch(backbone, 11);
                backend.buffers().upload(positive(12, (int) backbone.statistics().length()), backbone.statistics());
                head.initialize(4);
                if (batchNorm) {
                    backend.buffers().upload(positive(5, 2 * out), head.statistics());
                }
                float[] expected;
                try (VitEmbedder rows = new VitEmbedder(backbone, IMAGES, input);
                     DeviceFloats features = backend.buffers().allocFloats((long) IMAGES * in);
                     DeviceFloats y = backend.buffers().allocFloats((long) IMAGES * out)) {
                    backend.buffers().upload(rows.embed(x, IMAGES), features);
                    head.forwardEval(features, IMAGES, y);
                    expected = backend.buffers().download(y);
                }
                try (VisionTransformer composed = compose.apply(backbone, head);
                     VitEmbedder embedder = new VitEmbedder(composed, IMAGES)) {
                    assertEquals(out, composed.config().embedding(), what);
                    Tolerance.assertClose(expected, embedder.embed(x, IMAGES), 1e-4, "composed vs " + what);
                }
            }
        }
    }

    /** Running means and variances away from (0, 1). */
    private static float[] positive(long seed, int n) {
        float[] v = TestData.uniform(seed, n);
        for (int i = 0; i < n; i++) {
            v[i] = 0.4f + Math.abs(v[i]);
        }
        return v;
    }
}
