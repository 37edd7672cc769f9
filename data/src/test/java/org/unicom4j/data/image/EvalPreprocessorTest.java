package org.unicom4j.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicom4j.data.image.PillowReference.decode;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.npy.NpyArray;

/** The whole inference pipeline against torchvision's Resize, CenterCrop, ToTensor, Normalize on Pillow. */
class EvalPreprocessorTest {

    @Test
    void clipPipelineMatchesTheReferenceBitForBit() throws IOException {
        float[] expected = NpyArray.read(PillowReference.file("photo_clip32_chw.npy")).toFloats();
        float[] actual = EvalPreprocessor.clip(32).apply(decode("photo.png"));
        assertArrayEquals(expected, actual);
    }

    @Test
    void grayscaleInputGivesThreeEqualPlanesForAnRgbModel() throws IOException {
        EvalPreprocessor p = EvalPreprocessor.clip(12);
        float[] t = p.apply(decode("gray.png"));
        assertEquals(3 * 12 * 12, t.length);
        for (int i = 0; i < 144; i++) {
            float unit = t[i] * 0.26862954f + 0.48145466f;
            float unitB = t[2 * 144 + i] * 0.27577711f + 0.40821073f;
            assertEquals(unit, unitB, 1e-6f);
        }
    }

    @Test
    void oneChannelModelGetsOnePlane() throws IOException {
        EvalPreprocessor p = new EvalPreprocessor(12, Normalization.unit(1));
        float[] t = p.apply(decode("gray.png"));
        PixelImage gray = CenterCrop.crop(PillowReference.expected("gray_resize_shorter12.npy"), 12, 12);
        assertEquals(144, t.length);
        for (int i = 0; i < 144; i++) {
            assertEquals((gray.pixels()[i] & 0xff) / 255f, t[i]);
        }
    }
}
