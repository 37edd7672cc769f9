package org.unicom4j.model.encoder.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.encoder.EncoderEmbedder;
import org.unicom4j.model.encoder.EncoderFixtures;

/**
 * Hugging Face checkpoints loaded as they ship, on every backend, against the float64 forward of the PyTorch
 * mirrors of transformers' towers (tools/hf_reference): full-width CLIP ViT-B/32 (with projection) and SigLIP
 * So400m/14 at reduced depth, and narrow CLIPModel (fp16, with the text tower), CLIPVisionModel (fp32, safetensors
 * and pytorch_model.bin) and sharded SiglipModel (bf16) directories.
 */
class HfBackboneTest {
    private static final Path SMALL = EncoderFixtures.DIR.resolve("small");

    @TempDir
    static Path tmp;

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void fullWidthClipB32MatchesPyTorch(String name) throws Exception {
        Path dir = EncoderFixtures.materialise("clip-b32-width", tmp);
        check(TestBackends.get(name), dir.resolve("model.safetensors"), EncoderFixtures.DIR.resolve("full/clip-b32-width"),
                512, "CLIP ViT-B/32 width on " + name);
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void fullWidthSiglipSo400mMatchesPyTorch(String name) throws Exception {
        Path dir = EncoderFixtures.materialise("siglip-so400m-width", tmp);
        check(TestBackends.get(name), dir, EncoderFixtures.DIR.resolve("full/siglip-so400m-width"), 1152,
                "SigLIP So400m width on " + name);
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void releasedLayoutsLoadAndMatchPyTorch(String name) throws Exception {
        Backend backend = TestBackends.get(name);
        check(backend, SMALL.resolve("clip-model-fp16"), SMALL.resolve("clip-model-fp16"), 24,
                "CLIPModel fp16 on " + name);
        check(backend, SMALL.resolve("clip-vision-fp32/model.safetensors"), SMALL.resolve("clip-vision-fp32"), 48,
                "CLIPVisionModel fp32 on " + name);
        check(backend, SMALL.resolve("clip-vision-fp32/pytorch_model.bin"), SMALL.resolve("clip-vision-fp32"), 48,
                "CLIPVisionModel pytorch_model.bin on " + name);
        check(backend, SMALL.resolve("siglip-model-bf16-sharded/model.safetensors.index.json"),
                SMALL.resolve("siglip-model-bf16-sharded"), 72, "SiglipModel bf16 shards on " + name);
    }

    private static void check(Backend backend, Path weights, Path fixture, int dim, String what) throws Exception {
        try (HfBackbone model = HfBackbone.load(backend, weights);
             EncoderEmbedder embedder = new EncoderEmbedder(model.encoder(), 2)) {
            assertEquals(dim, embedder.dim(), what + ": embedding size");
            EncoderFixtures.assertMatches(fixture, embedder, what);
        }
    }
}
