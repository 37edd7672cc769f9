package org.unicom4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Lane sums are bit-reproducible: the same value whether the code runs interpreted or JIT-compiled (the loop
 * runs long enough for C2 to compile it), namely the lane-order scalar sum. {@code reduceLanes(ADD)} fails this
 * on x86: its intrinsic adds in another order than its Java fallback.
 */
class FloatLanesTest {

    private static float sum(float[] a) {
        return FloatLanes.sumLanes(FloatVector.fromArray(FloatLanes.SPECIES, a, 0));
    }

    @Test
    void sumLanesAddsInLaneOrderBeforeAndAfterCompilation() {
        float[] a = new float[FloatLanes.LANES];
        Random random = new Random(1);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(6))); // wide range: order matters
        }
        float expected = a[0];
        for (int i = 1; i < a.length; i++) {
            expected += a[i];
        }
        for (int iteration = 0; iteration < 1_000_000; iteration++) {
            float s = sum(a);
            if (Float.floatToIntBits(s) != Float.floatToIntBits(expected)) {
                assertEquals(expected, s, "iteration " + iteration);
            }
        }
    }
}
