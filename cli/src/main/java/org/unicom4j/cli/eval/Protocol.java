package org.unicom4j.cli.eval;

import java.util.Locale;
import org.unicom4j.data.InvalidInputException;

/** The evaluation protocols {@code eval --protocol} names. */
enum Protocol {
    /** Each item queries all the others (CUB, Cars, SOP test split). */
    LEAVE_ONE_OUT("leave-one-out"),
    /** Query rows against gallery rows, by the manifest's split column (In-shop). */
    QUERY_GALLERY("query-gallery"),
    /** Leave-one-out Recall@1 at embedding prefixes of 32/64/128/256/512 dims. */
    COMPACTNESS("compactness"),
    /** Revisited Oxford/Paris mAP, Easy/Medium/Hard, from a gnd_*.pkl ground truth. */
    REVISITED("revisited"),
    /** Queries against a separate database (float embeddings or a code index): mAP@K, P@N, precision-recall. */
    HASHING("hashing");

    final String cliName;

    Protocol(String cliName) {
        this.cliName = cliName;
    }

    /** A protocol by its command-line name (a few spellings), or null for "auto". */
    static Protocol parse(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (n) {
            case "auto" -> null;
            case "leave-one-out", "loo" -> LEAVE_ONE_OUT;
            case "query-gallery", "qg" -> QUERY_GALLERY;
            case "compactness", "prefix" -> COMPACTNESS;
            case "revisited", "roxford", "rparis" -> REVISITED;
            case "hashing" -> HASHING;
            default -> throw new InvalidInputException("--protocol '" + name + "': expected auto, leave-one-out, "
                    + "query-gallery, compactness, revisited or hashing");
        };
    }
}
