package org.unicom4j.training.trainer;

/**
 * What an epoch record averages or sums over the epoch's steps: the loss sum and step count (for the mean loss),
 * the seconds spent in steps and the part spent getting batches. Kept in checkpoints, so the record of an epoch
 * interrupted and resumed covers all its steps, as if it had run in one go.
 *
 * @param lossSum     sum of the steps' losses, in double
 * @param steps       steps counted
 * @param seconds     wall time of those steps
 * @param dataSeconds the part of {@code seconds} spent waiting for or building batches
 */
public record EpochTally(double lossSum, long steps, double seconds, double dataSeconds) {
    public static final EpochTally EMPTY = new EpochTally(0, 0, 0, 0);

    /** This tally with one more step. */
    EpochTally plus(float loss, double stepSeconds, double stepDataSeconds) {
        return new EpochTally(lossSum + loss, steps + 1, seconds + stepSeconds, dataSeconds + stepDataSeconds);
    }

    /** The mean loss of the steps counted (NaN for none). */
    public double meanLoss() {
        return steps == 0 ? Double.NaN : lossSum / steps;
    }
}
