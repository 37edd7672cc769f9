package org.unicom4j.training.run;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The project's one progress line for long work (training steps, embedding images): a label, a bar, done/total,
 * a caller's detail (loss, learning rate), the rate in items per second and the time left. On a terminal the
 * line is rewritten in place about once a second; into a pipe or log file a new line is written every
 * {@value #PIPE_SECONDS} seconds, and always the last one. Lines of their own ({@link #message}) end the
 * updating line first.
 */
public final class ProgressLine {
    static final int PIPE_SECONDS = 10;
    private static final int BAR = 20;

    private final PrintStream out;
    private final boolean interactive;
    private String label = "";
    private String unit = "";
    private String item = "items";
    private long total = 1;
    private long itemsPerUnit = 1;
    private long startDone;
    private long startNanos;
    private long lastPrint;
    private boolean open;

    /** Progress to {@code out}, rewritten in place when {@code interactive} (a terminal). */
    public ProgressLine(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Whether stderr is a terminal (then progress is rewritten in place). */
    public static boolean stderrIsTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    /**
     * Starts a new piece of work: {@code total} units (e.g. steps) named {@code unit} (empty: none), of which
     * {@code done} are already done (a resumed run), each worth {@code itemsPerUnit} {@code item}s for the rate
     * (e.g. a step of 128 images: 128, "img").
     */
    public void begin(String label, String unit, long total, long done, long itemsPerUnit, String item) {
        this.label = label;
        this.unit = unit;
        this.total = Math.max(1, total);
        this.itemsPerUnit = itemsPerUnit;
        this.item = item;
        this.startDone = done;
        this.startNanos = System.nanoTime();
        this.lastPrint = 0;
    }

    /** Reports {@code done} units with {@code detail} (may be empty); prints when it is time or the work is done. */
    public void update(long done, String detail) {
        long now = System.nanoTime();
        long every = (interactive ? 1L : PIPE_SECONDS) * 1_000_000_000L;
        if (lastPrint != 0 && now - lastPrint < every && done < total) {
            return;
        }
        lastPrint = now;
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = (done - startDone) * (double) itemsPerUnit / seconds;
        double eta = rate > 0 ? (total - done) * (double) itemsPerUnit / rate : Double.NaN;
        String line = String.format(Locale.ROOT, "%s %s %s%d/%d%s %.1f %s/s ETA %s", label, bar(done),
                unit.isEmpty() ? "" : unit + " ", done, total, detail.isEmpty() ? "" : " " + detail, rate, item,
                duration(eta));
        if (interactive) {
            out.print("\r" + line + "   ");
            open = done < total;
            if (!open) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    private String bar(long done) {
        int filled = (int) Math.min(BAR, done * BAR / total);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "]";
    }

    /** A line of its own (an epoch summary, a stage's start), ending the updating line first. */
    public void message(String text) {
        if (open) {
            out.println();
            open = false;
        }
        out.println(text);
        out.flush();
    }

    /** 1h02m, 3m07s; "?" when unknown. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
