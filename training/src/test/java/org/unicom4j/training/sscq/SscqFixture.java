package org.unicom4j.training.sscq;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/** The PyTorch golden values of tools/make_sscq_fixtures.py (test resources {@code sscq/}). */
final class SscqFixture {
    static final int ROWS = 128;
    static final int BOOKS = 8;
    static final int WORDS = 16;
    static final int DIM = 16;
    static final float TEMPERATURE = 0.2f;

    private SscqFixture() {
    }

    static NpyArray load(String name) {
        try {
            return NpyArray.read(Path.of(SscqFixture.class.getResource("/sscq/" + name + ".npy").toURI()));
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("fixture " + name + ": " + e, e);
        }
    }

    static float[] floats(String name) {
        return load(name).toFloats();
    }

    static DeviceFloats upload(Backend backend, String name) {
        float[] values = floats(name);
        DeviceFloats d = backend.buffers().allocFloats(values.length);
        backend.buffers().upload(values, d);
        return d;
    }

    /** An absolute tolerance: {@code relative} times the largest magnitude in {@code values}. */
    static double scaled(float[] values, double relative) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return relative * Math.max(max, 1e-12);
    }
}
