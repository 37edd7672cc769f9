package org.unicom4j.cli.embedding;

import java.io.PrintStream;
import java.util.function.LongConsumer;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.training.run.ProgressLine;

/** The progress line of embedding a source ("embedding IDX t10k... [####....] 5000/10000 812.3 img/s ETA 0m06s"). */
public final class EmbeddingProgress {
    private EmbeddingProgress() {
    }

    /** Starts the line on {@code out}; the callback takes the number of images done. */
    public static LongConsumer on(PrintStream out, ImageSource source) {
        ProgressLine line = new ProgressLine(out, ProgressLine.stderrIsTerminal());
        line.begin("embedding " + source.description(), "", source.size(), 0, 1, "img");
        return done -> line.update(done, "");
    }
}
