package org.unicom4j.retrieval.embeddings;

/**
 * One line of an embeddings manifest: row {@code row} of the embeddings file belongs to the image {@code path}.
 *
 * @param row       row in the embeddings {@code .npy}
 * @param path      the image's absolute path, or {@code file#n} for an image inside an IDX file
 * @param label     class index (0 .. classes-1)
 * @param className what the source calls the class ("" when unknown)
 * @param split     benchmark split ("test", "query", "gallery", ...; "" when none)
 */
public record ManifestEntry(int row, String path, int label, String className, String split) {
    public ManifestEntry {
        if (row < 0 || label < 0 || path == null || path.isEmpty()) {
            throw new IllegalArgumentException("manifest entry: row " + row + ", path '" + path + "', label " + label
                    + "; expected row >= 0, a path and label >= 0");
        }
        className = className == null ? "" : className;
        split = split == null ? "" : split;
    }
}
