package org.unicom4j.model.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.checkpoint.SafetensorsWriter;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictReader;

/** Loading the fixture's torch.save files (fp32 and the released fp16 format) and a safetensors round trip. */
class VitCheckpointTest {
    static final Path DIR = VitParityTest.DIR;

    @Test
    void fp32TorchCheckpointHoldsTheFixtureWeights() throws Exception {
        Backend backend = TestBackends.get("cpu");
        try (VisionTransformer fromPt = new VisionTransformer(backend, VitConfig.read(DIR.resolve("config.json")));
             VisionTransformer fromNpy = VitParityTest.loadSmall(backend)) {
            StateDictIo.load(fromPt, DIR.resolve("weights_fp32.pt"));
            assertArrayEquals(backend.buffers().download(fromNpy.parameters()),
                    backend.buffers().download(fromPt.parameters()));
            assertArrayEquals(backend.buffers().download(fromNpy.statistics()),
                    backend.buffers().download(fromPt.statistics()));
            assertEquals(7, fromPt.batchesTracked(0));
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void fp16TorchCheckpointGivesPyTorchsEmbeddings(String name) throws Exception {
        Backend backend = TestBackends.get(name);
        VitConfig config;
        try (StateDict sd = StateDictReader.read(DIR.resolve("weights_fp16.pt"))) {
            config = StateDictIo.inferConfig(StateDictIo.source(sd), 16, 0.0);
        }
        assertEquals(VitConfig.read(DIR.resolve("config.json")), config);
        try (VisionTransformer model = new VisionTransformer(backend, config);
             DeviceFloats images = VitParityTest.upload(backend, NpyFolderSource.floats(DIR.resolve("images.npy")))) {
            StateDictIo.load(model, DIR.resolve("weights_fp16.pt"));
            try (VitEmbedder embedder = new VitEmbedder(model, 8)) {
                float[] out = embedder.embed(backend.buffers().download(images), VitParityTest.batchOf(config, images));
                VitParityTest.assertRelative(NpyFolderSource.floats(DIR.resolve("eval_out_fp16_weights.npy")), out,
                        "embeddings from the fp16 checkpoint");
            }
        }
    }

    @Test
    void safetensorsRoundTrip(@TempDir Path tmp) throws Exception {
        Backend backend = TestBackends.get("cpu");
        try (VisionTransformer a = VitParityTest.loadSmall(backend);
             VisionTransformer b = new VisionTransformer(backend, a.config())) {
            Path file = tmp.resolve("small.safetensors");
            SafetensorsWriter.write(file, StateDictIo.toStateDict(a));
            StateDictIo.load(b, file);
            assertArrayEquals(backend.buffers().download(a.parameters()), backend.buffers().download(b.parameters()));
            assertArrayEquals(backend.buffers().download(a.statistics()), backend.buffers().download(b.statistics()));
            assertEquals(7, b.batchesTracked(1));
        }
    }
}
