package org.unicom4j.cli.search;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps Lucene's start-up notes (vectorization provider, INFO) off the command's stderr; warnings still show. */
final class LuceneLogging {
    /** Held so the configured logger is not collected and its level forgotten. */
    private static final Logger LUCENE = Logger.getLogger("org.apache.lucene");

    private LuceneLogging() {
    }

    static void quiet() {
        LUCENE.setLevel(Level.WARNING);
    }
}
