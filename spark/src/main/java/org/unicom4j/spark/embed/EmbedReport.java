package org.unicom4j.spark.embed;

import java.util.List;

/**
 * What an embedding job did: images embedded, images left out (with the first {@value #LISTED} named), and for
 * {@code .npy} shards the rows of each partition's shard.
 *
 * @param embedded         rows written
 * @param skipped          bad images left out
 * @param firstSkipped     up to {@value #LISTED} of them, "path: reason"
 * @param rowsPerPartition rows of each shard (empty for Parquet)
 */
public record EmbedReport(long embedded, long skipped, List<String> firstSkipped, long[] rowsPerPartition) {
    public static final int LISTED = 100;
}
