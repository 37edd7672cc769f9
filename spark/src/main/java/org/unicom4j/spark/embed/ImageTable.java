package org.unicom4j.spark.embed;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.unicom4j.data.InvalidInputException;

/**
 * The table of images the embedding job reads: {@code id} (long), and {@code path} (string: a file every executor
 * can read) or {@code bytes} (binary: the encoded image), with an optional {@code label} (int): Parquet
 * ({@code spark.read().parquet(uri)}), CSV with a header ({@code spark.read().option("header", "true").csv(uri)}; the
 * columns are cast) or an ImageFolder listing made on the driver ({@code embed --engine spark}).
 */
public final class ImageTable {
    /** What the job writes: one row per embedded image (path null for bytes); skipped images have none. */
    public static final StructType EMBEDDINGS = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("path", DataTypes.StringType, true)
            .add("label", DataTypes.IntegerType, false)
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private ImageTable() {
    }

    /** {@code table}'s columns as the job reads them: id, path or bytes, label (0 when absent). */
    static Dataset<Row> normalise(Dataset<Row> table) {
        var names = Arrays.asList(table.columns());
        if (!names.contains("id") || names.contains("path") == names.contains("bytes")) {
            throw new InvalidInputException("images: columns " + names + "; expected id and exactly one of path "
                    + "(a file) or bytes (an encoded image), and optionally label");
        }
        String image = names.contains("path") ? "path" : "bytes";
        return table.selectExpr("CAST(id AS BIGINT) AS id", image,
                names.contains("label") ? "CAST(label AS INT) AS label" : "0 AS label");
    }
}
