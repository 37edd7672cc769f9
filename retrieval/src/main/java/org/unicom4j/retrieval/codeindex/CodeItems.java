package org.unicom4j.retrieval.codeindex;

import java.util.List;

/**
 * What a code index says about each database item, by row: an id (e.g. the row of an embeddings file), a class label
 * (-1 when there is none; used only for scoring) and a path (may be empty).
 *
 * @param ids    one id per item
 * @param labels one label per item
 * @param paths  one path per item
 */
public record CodeItems(long[] ids, int[] labels, List<String> paths) {

    public CodeItems {
        if (ids.length != labels.length || ids.length != paths.size()) {
            throw new IllegalArgumentException("code items: " + ids.length + " ids, " + labels.length + " labels and "
                    + paths.size() + " paths; expected one of each per item");
        }
        paths = List.copyOf(paths);
    }

    /** Items 0 .. n-1 with ids equal to their rows, the given labels and no paths. */
    public static CodeItems ofLabels(int[] labels) {
        long[] ids = new long[labels.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        return new CodeItems(ids, labels.clone(), java.util.Collections.nCopies(labels.length, ""));
    }

    public int size() {
        return ids.length;
    }
}
