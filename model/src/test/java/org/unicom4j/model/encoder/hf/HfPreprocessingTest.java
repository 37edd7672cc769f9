package org.unicom4j.model.encoder.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.HfImageProcessor;
import org.unicom4j.kernels.Gelu;
import org.unicom4j.model.encoder.EncoderConfig;
import org.unicom4j.model.encoder.EncoderFamily;

/** preprocessor_config.json as released (old and new size spellings), the defaults without one, and refusals. */
class HfPreprocessingTest {
    private static final EncoderConfig CLIP = new EncoderConfig(EncoderFamily.CLIP, 768, 3072, 12, 12, 32, 224, 3,
            1e-5f, Gelu.QUICK, 512);
    private static final EncoderConfig SIGLIP = new EncoderConfig(EncoderFamily.SIGLIP, 1152, 4304, 16, 27, 14, 384,
            3, 1e-6f, Gelu.TANH, 0);
    private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};
    private static final float[] HALF = {0.5f, 0.5f, 0.5f};

    @TempDir
    Path dir;

    private HfImageProcessor read(String json, EncoderConfig config) throws Exception {
        return HfPreprocessing.read(Files.writeString(dir.resolve("preprocessor_config.json"), json), config);
    }

    @Test
    void clipOldAndNewSpellings() throws Exception {
        HfImageProcessor expected = HfImageProcessor.shortestEdgeThenCrop(224, 224, 1 / 255.0, CLIP_MEAN, CLIP_STD);
        assertEquals(expected, read("""
                {"crop_size": 224, "do_center_crop": true, "do_normalize": true, "do_resize": true,
                 "feature_extractor_type": "CLIPFeatureExtractor", "image_mean": [0.48145466, 0.4578275, 0.40821073],
                 "image_std": [0.26862954, 0.26130258, 0.27577711], "resample": 3, "size": 224}""", CLIP));
        assertEquals(expected, read("""
                {"crop_size": {"height": 224, "width": 224}, "do_center_crop": true, "do_convert_rgb": true,
                 "do_rescale": true, "rescale_factor": 0.00392156862745098, "image_processor_type":
                 "CLIPImageProcessor", "resample": 3, "size": {"shortest_edge": 224}}""", CLIP));
        assertEquals(expected, HfPreprocessing.defaults(CLIP));
    }

    @Test
    void siglipSo400mAsReleased() throws Exception {
        HfImageProcessor expected = HfImageProcessor.exactResize(384, 384, 1 / 255.0, HALF, HALF);
        assertEquals(expected, read("""
                {"do_normalize": true, "do_rescale": true, "do_resize": true, "image_mean": [0.5, 0.5, 0.5],
                 "image_processor_type": "SiglipImageProcessor", "image_std": [0.5, 0.5, 0.5],
                 "processor_class": "SiglipProcessor", "resample": 3, "rescale_factor": 0.00392156862745098,
                 "size": {"height": 384, "width": 384}}""", SIGLIP));
        assertEquals(expected, HfPreprocessing.defaults(SIGLIP));
        assertEquals(HfImageProcessor.exactResize(384, 384, 1.0, new float[3], new float[] {1, 1, 1}),
                read("{\"do_normalize\": false, \"do_rescale\": false, \"size\": 384}", SIGLIP));
    }

    @Test
    void refusals() {
        Path file = dir.resolve("preprocessor_config.json");
        assertEquals(file + ": gives 224x224 images, the model takes 384x384",
                refused("{\"size\": {\"height\": 224, \"width\": 224}}", SIGLIP));
        assertEquals(file + ": resample 2 is not supported (3, bicubic)", refused("{\"resample\": 2}", CLIP));
        assertEquals(file + ": do_resize is false; images of any size cannot be batched",
                refused("{\"do_resize\": false}", CLIP));
        assertEquals(file + ": 'image_mean' must be three numbers, got [0.5,0.5]",
                refused("{\"image_mean\": [0.5, 0.5]}", SIGLIP));
        assertEquals(file + ": image processor: give a shortest edge with a crop no larger than it (got edge 200, "
                + "crop 224x224), or an exact resize size (got 0x0)", refused("{\"size\": 200}", CLIP));
    }

    private String refused(String json, EncoderConfig config) {
        return assertThrows(InvalidInputException.class, () -> read(json, config)).getMessage();
    }
}
