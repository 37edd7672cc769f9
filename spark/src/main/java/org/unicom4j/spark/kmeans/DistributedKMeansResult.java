package org.unicom4j.spark.kmeans;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.spark.points.PointBlocks;

/**
 * The outcome of a distributed k-means run, as {@link org.unicom4j.retrieval.kmeans.KMeansResult} with the labels
 * left on the executors (cached) until asked for: as an array in position order, or as a table (id, label).
 * Close it to drop the cached labels and the centroid broadcasts.
 */
public final class DistributedKMeansResult implements AutoCloseable {
    private final Vectors centroids;
    private final double[] objectives;
    private final int[] reseeded;
    private final PointBlocks points;
    private final JavaRDD<BlockAssignment> assignments;
    private final List<Broadcast<float[]>> broadcasts;
    private final long[] clusterSizes;

    DistributedKMeansResult(Vectors centroids, double[] objectives, int[] reseeded, long[] clusterSizes,
                            PointBlocks points, JavaRDD<BlockAssignment> assignments,
                            List<Broadcast<float[]>> broadcasts) {
        this.broadcasts = broadcasts;
        this.clusterSizes = clusterSizes;
        this.centroids = centroids;
        this.objectives = objectives;
        this.reseeded = reseeded;
        this.points = points;
        this.assignments = assignments;
    }

    public Vectors centroids() {
        return centroids;
    }

    /** One entry per assignment pass, as {@link org.unicom4j.retrieval.kmeans.KMeansResult#objectives()}. */
    public double[] objectives() {
        return objectives.clone();
    }

    public int[] reseeded() {
        return reseeded.clone();
    }

    /** Rows per cluster in the final labels. */
    public long[] clusterSizes() {
        return clusterSizes.clone();
    }

    /** The final pass's cached labels and distances, one element per point block (for the two-level scheme). */
    JavaRDD<BlockAssignment> assignments() {
        return assignments;
    }

    public int iterations() {
        return objectives.length - 1;
    }

    public double objective() {
        return objectives[objectives.length - 1];
    }

    /** Every row's label in position order, collected on the driver (rows < 2^31). */
    public int[] labels() {
        if (points.rows() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("k-means: " + points.rows() + " labels do not fit one array; use "
                    + "labelTable");
        }
        int[] out = new int[(int) points.rows()];
        int at = 0;
        for (int[] block : assignments.map(BlockAssignment::labels).collect()) {
            System.arraycopy(block, 0, out, at, block.length);
            at += block.length;
        }
        return out;
    }

    /** The labels as a table (id long, label int), one row per point, computed on the executors. */
    public Dataset<Row> labelTable(SparkSession spark) {
        StructType schema = new StructType().add("id", DataTypes.LongType, false).add("label", DataTypes.IntegerType,
                false);
        JavaRDD<Row> rows = points.zipIds(assignments).flatMap(block -> {
            List<Row> out = new ArrayList<>(block._1().length);
            for (int i = 0; i < block._1().length; i++) {
                out.add(RowFactory.create(block._1()[i], block._2().labels()[i]));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, schema);
    }

    @Override
    public void close() {
        assignments.unpersist(false);
        broadcasts.forEach(b -> b.destroy(false));
    }
}
