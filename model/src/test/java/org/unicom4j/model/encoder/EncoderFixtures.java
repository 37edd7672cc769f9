package org.unicom4j.model.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.model.ImageEncoder;

/** The fixtures of tools/make_backbone_fixtures.py and the comparison the tests share. */
public final class EncoderFixtures {
    public static final Path DIR = Path.of("src/test/resources/encoder");
    /** float32 maths against the float64 forward: 1e-5 of the output's largest magnitude. */
    public static final double TOL = 1e-5;

    private EncoderFixtures() {
    }

    /** A full-width fixture as a Hugging Face directory under {@code into}: config.json and model.safetensors. */
    public static Path materialise(String name, Path into) throws IOException {
        Path src = DIR.resolve("full").resolve(name);
        Path dir = Files.createDirectories(into.resolve(name));
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        HashedWeights.writeSafetensors(src.resolve("hashed.json"), dir.resolve("model.safetensors"));
        return dir;
    }

    /** Runs the fixture's images.npy through {@code embedder} and compares with its expected.npy. */
    public static void assertMatches(Path fixture, ImageEncoder embedder, String what) throws IOException {
        NpyArray images = NpyArray.read(fixture.resolve("images.npy"));
        double[] expected = NpyArray.read(fixture.resolve("expected.npy")).toDoubles();
        float[] got = embedder.embed(images.toFloats(), (int) images.shape()[0]);
        assertClose(expected, got, what);
    }

    /** |got - expected| <= TOL * max |expected|, element by element. */
    public static void assertClose(double[] expected, float[] got, String what) {
        assertEquals(expected.length, got.length, what + ": output length");
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= TOL * scale)) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + expected[i] + " (tolerance "
                        + TOL * scale + ")");
            }
        }
    }
}
