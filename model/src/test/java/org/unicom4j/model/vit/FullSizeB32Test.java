package org.unicom4j.model.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictReader;

/**
 * A manual check at full size: {@code /usr/bin/python3 tools/make_vit_fixtures.py --full-b32 DIR} writes a random
 * ViT-B/32 in the released fp16 format with PyTorch's embeddings of four images; run with
 * {@code UNICOM4J_VIT_B32=DIR}. Skipped otherwise (the file is about 230 MB and not committed).
 */
class FullSizeB32Test {

    @Test
    void randomB32InTheReleasedFormatEmbedsAsPyTorch() throws Exception {
        String dir = System.getenv("UNICOM4J_VIT_B32");
        Assumptions.assumeTrue(dir != null, "UNICOM4J_VIT_B32 is not set");
        Path file = Path.of(dir, "FP16-ViT-B-32.pt");
        Assumptions.assumeTrue(Files.exists(file), file + " is not there");
        VitConfig config;
        try (StateDict sd = StateDictReader.read(file)) {
            config = StateDictIo.inferConfig(StateDictIo.source(sd), 64, 0.1);
        }
        assertEquals(VitConfig.B32, config);
        Backend backend = TestBackends.get("cpu");
        float[] images = NpyFolderSource.floats(Path.of(dir, "images.npy"));
        try (VisionTransformer model = new VisionTransformer(backend, config)) {
            StateDictIo.load(model, file);
            try (VitEmbedder embedder = new VitEmbedder(model, 4)) {
                float[] out = embedder.embed(images, images.length / (3 * 224 * 224));
                VitParityTest.assertRelative(NpyFolderSource.floats(Path.of(dir, "eval_out.npy")), out,
                        "ViT-B/32 embeddings");
            }
        }
    }
}
