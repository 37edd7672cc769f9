package org.unicom4j.training.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SplitMix64Test {

    /** Reference outputs of Vigna's splitmix64.c (state 0, and the commonly quoted seed 1234567). */
    @Test
    void matchesTheReferenceStream() {
        SplitMix64 zero = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, zero.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, zero.nextLong());
        assertEquals(0x06C45D188009454FL, zero.nextLong());
        SplitMix64 seeded = new SplitMix64(1234567);
        assertEquals(6457827717110365317L, seeded.nextLong());
        assertEquals(0x2C73F08458540FA5L, seeded.nextLong());
    }

    @Test
    void restoringTheStateContinuesTheSameDraws() {
        SplitMix64 a = new SplitMix64(42);
        for (int i = 0; i < 17; i++) {
            a.nextGaussian();
            a.nextInt(1000);
        }
        long saved = a.state();
        double[] expected = {a.nextDouble(), a.nextInt(7), a.nextGaussian(), a.nextLong()};
        SplitMix64 b = new SplitMix64(0);
        b.setState(saved);
        double[] actual = {b.nextDouble(), b.nextInt(7), b.nextGaussian(), b.nextLong()};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], "draw " + i);
        }
    }

    @Test
    void derivedSeedsDifferByStreamAndPosition() {
        assertNotEquals(SplitMix64.derive(1, 0, 0), SplitMix64.derive(1, 1, 0));
        assertNotEquals(SplitMix64.derive(1, 0, 0), SplitMix64.derive(1, 0, 1));
        assertNotEquals(SplitMix64.derive(1, 0, 0), SplitMix64.derive(2, 0, 0));
        assertEquals(SplitMix64.derive(9, 3, 5), SplitMix64.derive(9, 3, 5));
    }
}
