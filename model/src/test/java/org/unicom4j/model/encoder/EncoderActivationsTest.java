package org.unicom4j.model.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.encoder.hf.HfBackbone;

/**
 * Attention in groups of images (what keeps SigLIP So400m's probabilities small) gives what one call over the batch
 * gives, and a batch smaller than the activations' uses their prefix.
 */
class EncoderActivationsTest {

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void attentionGroupsDoNotChangeTheOutput(String name) throws Exception {
        Backend backend = TestBackends.get(name);
        var fixture = EncoderFixtures.DIR.resolve("small/siglip-model-bf16-sharded");
        float[] images = NpyArray.read(fixture.resolve("images.npy")).toFloats();
        try (HfBackbone model = HfBackbone.load(backend, fixture);
             DeviceFloats in = backend.buffers().allocFloats(images.length);
             EncoderActivations whole = new EncoderActivations(backend, model.config(), 3);
             EncoderActivations single = new EncoderActivations(backend, model.config(), 4, 1)) {
            backend.buffers().upload(images, in);
            assertEquals(3, whole.attentionGroup());
            assertEquals(1, single.attentionGroup());
            float[] a = backend.buffers().download(model.encoder().forward(in, 3, whole));
            float[] b = backend.buffers().download(model.encoder().forward(in, 3, single));
            assertArrayEquals(a, b, name + ": groups of 1 vs one group of 3");
        }
    }
}
