package org.unicom4j.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OneCycleScheduleTest {

    /** Values printed by PyTorch 1.13's OneCycleLR(max_lr=1e-3, total_steps=100, pct_start=0.1, div 25, final 1e4, momentum 0.85-0.95). */
    @Test
    void matchesPyTorchOneCycle() {
        OneCycleSchedule s = OneCycleSchedule.unicomDefaults(1e-3f, 100);
        double[][] expected = {
            {0, 3.9999999999999996e-05, 0.95},
            {1, 6.8947542022764e-05, 0.9469846310392954},
            {5, 0.0006033511252801266, 0.8913175911166534},
            {9, 0.001, 0.85},
            {10, 0.0009996954147278938, 0.8500304586490451},
            {50, 0.0005695882721338308, 0.8930413449519967},
            {99, 4e-09, 0.95},
        };
        for (double[] row : expected) {
            long step = (long) row[0];
            assertEquals(row[1], s.learningRate(step), 1e-6 * row[1] + 1e-12, "lr at step " + step);
            assertEquals(row[2], s.beta1(step), 1e-6, "beta1 at step " + step);
        }
    }

    @Test
    void warmupCosineRisesThenFalls() {
        WarmupCosineSchedule s = new WarmupCosineSchedule(1f, 0f, 10, 110, 0.9f);
        assertEquals(0.1f, s.learningRate(0), 1e-6);
        assertEquals(1f, s.learningRate(9), 1e-6);
        assertEquals(0.5f, s.learningRate(60), 1e-6);
        assertEquals(0f, s.learningRate(110), 1e-6);
    }
}
