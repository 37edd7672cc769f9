package org.unicom4j.cli.report;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of long work on stderr: done/total, items per second and the time left. A terminal gets one line
 * rewritten in place about once a second; a log file gets a new line every 10 seconds, and the last one.
 */
public final class ProgressLine {
    private static final boolean INTERACTIVE = System.console() != null && System.console().isTerminal();

    private final PrintStream out;
    private final String what;
    private final long total;
    private final long start = System.nanoTime();
    private long lastPrint = start;
    private boolean printed;

    public ProgressLine(PrintStream out, String what, long total) {
        this.out = out;
        this.what = what;
        this.total = total;
    }

    /** Reports {@code done} of the total; prints when enough time has passed or the work is complete. */
    public void update(long done) {
        long now = System.nanoTime();
        long every = INTERACTIVE ? 1_000_000_000L : 10_000_000_000L;
        if (now - lastPrint < every && done < total) {
            return;
        }
        lastPrint = now;
        printed = true;
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        double rate = done / seconds;
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        out.printf(Locale.ROOT, "%s%s %d/%d, %.1f/s, %.0f s elapsed, ETA %.0f s%s", INTERACTIVE ? "\r" : "", what, done,
                total, rate, seconds, eta, INTERACTIVE && done < total ? "   " : System.lineSeparator());
        out.flush();
    }

    /** Whether anything was printed (a finished interactive line already ends with a newline). */
    public boolean printed() {
        return printed;
    }
}
