package org.unicom4j.retrieval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.HostExactSearch;

/**
 * Each query's 3 neighbours are distinct training items whose labels and similarities are given; 8 classes.
 * With T = 0.07 a vote weighs exp(s / 0.07).
 * q0 (label 0): sims [0.9 (class 1), 0.8 (0), 0.75 (0)]. Class 1: e^12.857; class 0: e^11.429 + e^10.714 =
 * e^10.714 (e^0.714 + 1) = 3.04 e^10.714, against class 1's e^2.143 e^10.714 = 8.52 e^10.714: class 1 wins
 * despite the 2:1 count, class 0 second -> top-1 miss, top-5 hit.
 * q1 (label 3): sims [0.50 (2), 0.49 (3), 0.48 (3)]. Class 3: e^7 + e^6.857 = 1.867 e^7; class 2: e^7.143 =
 * 1.154 e^7: class 3 wins -> hit, hit.
 * q2 (label 6): three equal votes for classes 5, 4, 3; class 6 has 0, tied with 0, 1, 2 and 7; ranked by vote then
 * class index, the order is 3, 4, 5, 0, 1, 2, 6, 7: class 6 is 7th -> miss, miss.
 * q3 (label 2): sims [0.3 (4), 0.3 (2), 0.1 (7)]: 4 and 2 tie; the lower class index, 2, wins -> hit, hit.
 * Top-1 = 2/4, top-5 = 3/4.
 */
class KnnClassificationTest {
    private static final int[] TRAIN_LABELS = {1, 0, 0, 2, 3, 3, 5, 4, 3, 4, 2, 7};
    private static final Neighbours NEIGHBOURS = new Neighbours(4, 3, 12,
            new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
            new float[] {0.9f, 0.8f, 0.75f, 0.5f, 0.49f, 0.48f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.1f}, true);
    private static final int[] TEST_LABELS = {0, 3, 6, 2};

    @Test
    void dinoWeightedVotes() {
        KnnClassification.Accuracy acc = KnnClassification.evaluate(NEIGHBOURS, TRAIN_LABELS, TEST_LABELS, 8, 3,
                KnnClassification.TEMPERATURE);
        assertEquals(0.5, acc.top1(), 1e-12);
        assertEquals(0.75, acc.top5(), 1e-12);
    }

    /**
     * With T = 1 the weights flatten: q0's class 0 gets e^0.8 + e^0.75 = 2.226 + 2.117 = 4.34 > class 1's
     * e^0.9 = 2.46, so q0 becomes a hit; the others are unchanged (q1: e^0.49 + e^0.48 = 3.25 > e^0.5 = 1.65).
     * Top-1 = 3/4.
     */
    @Test
    void temperatureMatters() {
        KnnClassification.Accuracy acc = KnnClassification.evaluate(NEIGHBOURS, TRAIN_LABELS, TEST_LABELS, 8, 3, 1.0);
        assertEquals(0.75, acc.top1(), 1e-12);
    }

    /**
     * From raw features: train (2, 0) class 0, (0, 3) class 1, (1, 1) class 0 normalise to (1, 0), (0, 1),
     * (0.707, 0.707); the test feature (1, 0.2) (class 0) has cosines 0.981, 0.196 and 0.832. With k = 1 the
     * nearest is the class-0 item 0 -> top-1 = 1.
     */
    @Test
    void fromRawFeatures() {
        Vectors train = new Vectors(new float[] {2, 0, 0, 3, 1, 1}, 3, 2);
        Vectors test = new Vectors(new float[] {1, 0.2f}, 1, 2);
        KnnClassification.Accuracy acc = KnnClassification.evaluate(new HostExactSearch(), train,
                new int[] {0, 1, 0}, test, new int[] {0}, 2, 1);
        assertEquals(1.0, acc.top1(), 1e-12);
    }
}
