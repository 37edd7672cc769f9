package org.unicom4j.training.run;

import java.io.PrintStream;
import java.util.Locale;
import org.unicom4j.training.trainer.StepMetrics;

/**
 * One progress line on stderr: epoch, step of total, loss, learning rate, images/s and ETA. On a terminal it is
 * rewritten in place about once a second; into a log file a new line is written every 10 seconds.
 */
final class ProgressLine {
    private final PrintStream out;
    private final boolean interactive;
    private final int epochs;
    private long lastPrint;
    private boolean open;

    ProgressLine(PrintStream out, boolean interactive, int epochs) {
        this.out = out;
        this.interactive = interactive;
        this.epochs = epochs;
    }

    void update(StepMetrics m) {
        long now = System.nanoTime();
        long every = interactive ? 1_000_000_000L : 10_000_000_000L;
        if (lastPrint != 0 && now - lastPrint < every && m.step() < m.totalSteps()) {
            return;
        }
        lastPrint = now;
        String line = String.format(Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f lr %.2e %.1f img/s ETA %s",
                m.epoch() + 1, epochs, m.step(), m.totalSteps(), m.loss(), m.learningRate(), m.imagesPerSecond(),
                duration(m.etaSeconds()));
        if (interactive) {
            out.print("\r" + line + "   ");
            open = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** A line of its own (an epoch summary), ending the updating line first. */
    void message(String text) {
        if (open) {
            out.println();
            open = false;
        }
        out.println(text);
        out.flush();
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
