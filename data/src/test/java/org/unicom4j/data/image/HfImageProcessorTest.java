package org.unicom4j.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.npy.NpyArray;

/**
 * Hugging Face's CLIP and SigLIP preprocessing against the outputs of a NumPy/Pillow mirror of transformers'
 * image_transforms (tools/make_backbone_fixtures.py), bit for bit, on a 37 x 23 photo: the CLIP crop leaves 3 rows
 * to split, where HF's floor division (offset 1) and torchvision's rounding (2) part.
 */
class HfImageProcessorTest {
    private static final Path DIR = Path.of("src/test/resources/hf-preprocessing");
    private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};
    private static final float[] HALF = {0.5f, 0.5f, 0.5f};

    @Test
    void clipShortestEdgeAndFloorCropMatchTransformers() throws Exception {
        HfImageProcessor clip = HfImageProcessor.shortestEdgeThenCrop(16, 13, 1 / 255.0, CLIP_MEAN, CLIP_STD);
        assertArrayEquals(NpyArray.read(DIR.resolve("clip.npy")).toFloats(),
                clip.apply(ImageDecoder.decode(DIR.resolve("photo.png"))));
        assertEquals(3 * 13 * 13, clip.outputSize());
    }

    @Test
    void siglipExactResizeMatchesTransformers() throws Exception {
        HfImageProcessor siglip = HfImageProcessor.exactResize(19, 19, 1 / 255.0, HALF, HALF);
        assertArrayEquals(NpyArray.read(DIR.resolve("siglip.npy")).toFloats(),
                siglip.apply(ImageDecoder.decode(DIR.resolve("photo.png"))));
    }

    @Test
    void theCropOffsetIsFloorDivisionNotTorchvisionsRounding() throws Exception {
        PixelImage photo = ImageDecoder.decode(DIR.resolve("photo.png"));
        PixelImage resized = ShorterSideResize.resize(photo, 16);
        PixelImage hf = HfImageProcessor.shortestEdgeThenCrop(16, 13, 1 / 255.0, HALF, HALF).pixels(photo);
        assertEquals(resized.crop(6, 1, 13, 13), hf);
        assertNotEquals(CenterCrop.crop(resized, 13, 13), hf);
    }

    @Test
    void grayImagesAreReplicatedToRgb() {
        PixelImage gray = new PixelImage(4, 4, 1, new byte[16]);
        float[] out = HfImageProcessor.exactResize(4, 4, 1 / 255.0, HALF, HALF).apply(gray);
        assertEquals(3 * 16, out.length);
        assertEquals(-1f, out[47]);
    }

    @Test
    void aCropLargerThanTheShorterSideIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HfImageProcessor.shortestEdgeThenCrop(16, 20, 1 / 255.0, HALF, HALF));
        assertEquals("image processor: give a shortest edge with a crop no larger than it (got edge 16, crop 20x20), "
                + "or an exact resize size (got 0x0)", e.getMessage());
    }
}
