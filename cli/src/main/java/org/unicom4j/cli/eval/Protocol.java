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
    HASHING("hashing"),
    /** mMP@5, the Google Universal Image Embedding Challenge's metric: Euclidean 5-NN on the raw embeddings. */
    MMP5("mmp5"),
    /** mAP@100, Google Landmarks v2 retrieval's metric, on normalised embeddings. */
    MAP100("map100"),
    /** DINO's weighted k-NN classification (cosine, exp(sim / 0.07) votes): top-1 and top-5 per k. */
    KNN("knn");

    final String cliName;

    Protocol(String cliName) {
        this.cliName = cliName;
    }

    /** The protocols of {@link UniversalProtocols}. */
    boolean universal() {
        return this == MMP5 || this == MAP100 || this == KNN;
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
            case "mmp5", "mmp@5", "guiec" -> MMP5;
            case "map100", "map@100", "gldv2" -> MAP100;
            case "knn", "k-nn" -> KNN;
            default -> throw new InvalidInputException("--protocol '" + name + "': expected auto, leave-one-out, "
                    + "query-gallery, compactness, revisited, hashing, mmp5, map100 or knn");
        };
    }
}
