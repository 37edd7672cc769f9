package org.unicom4j.cli.demo;

import java.util.Locale;
import org.unicom4j.training.trainer.StepMetrics;

/** One progress line for a training phase, rewritten in place on a terminal: step, loss, images/s, ETA. */
final class ProgressLine {
    private static final boolean INTERACTIVE = System.console() != null;
    private final String name;
    private final long total;
    private long lastPrint;

    ProgressLine(String name, long total) {
        this.name = name;
        this.total = total;
    }

    void update(StepMetrics m) {
        long now = System.nanoTime();
        // A terminal gets a line rewritten every second; a log file a new line every 10 seconds.
        long every = INTERACTIVE ? 1_000_000_000L : 10_000_000_000L;
        if (now - lastPrint < every && m.step() < total) {
            return;
        }
        lastPrint = now;
        System.out.printf(Locale.ROOT, "%s   %s epoch %d step %d/%d loss %.4f lr %.2e classes %d %.0f img/s ETA %.0f s%s",
                INTERACTIVE ? "\r" : "", name, m.epoch() + 1, m.step(), total, m.loss(), m.learningRate(),
                m.sampledClasses(), m.imagesPerSecond(), m.etaSeconds(), INTERACTIVE ? "   " : "\n");
        System.out.flush();
    }

    void finishEpoch(int epoch, double meanLoss) {
        System.out.printf(Locale.ROOT, "%s   %s epoch %d mean loss %.4f%n", INTERACTIVE ? "\n" : "", name,
                epoch + 1, meanLoss);
    }
}
