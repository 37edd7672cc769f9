package org.unicom4j.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Merges one value per partition in partition order, v0 + v1 + ... + v(P-1), so that a floating-point reduction
 * gives the same bits on every run whatever the order tasks finish in (Spark's {@code reduce} and
 * {@code treeAggregate} merge in arrival order). Up to {@code fanout} partitions are merged on the driver; more are
 * first merged in groups of {@code fanout} consecutive partitions on the executors.
 */
public final class OrderedFold {
    private OrderedFold() {
    }

    /** Adds b, the later value, to a and returns the sum (it may reuse a); shipped to the executors. */
    @FunctionalInterface
    public interface Merge<T> extends java.io.Serializable {
        T merge(T a, T b);
    }

    public static <T> T fold(JavaRDD<T> onePerPartition, Merge<T> merge, int fanout) {
        int partitions = onePerPartition.getNumPartitions();
        if (partitions <= fanout) {
            return foldInOrder(onePerPartition.collect(), merge);
        }
        JavaPairRDD<Integer, Tuple2<Integer, T>> keyed = JavaPairRDD.fromJavaRDD(onePerPartition
                .mapPartitionsWithIndex((p, it) -> List.of(new Tuple2<>(p / fanout, new Tuple2<>(p, it.next())))
                        .iterator(), true));
        List<Tuple2<Integer, T>> groups = new ArrayList<>(keyed.groupByKey((partitions + fanout - 1) / fanout)
                .mapValues(members -> {
                    List<Tuple2<Integer, T>> sorted = new ArrayList<>();
                    members.forEach(sorted::add);
                    sorted.sort(Comparator.comparing(Tuple2::_1));
                    return foldInOrder(sorted.stream().map(Tuple2::_2).toList(), merge);
                }).collect());
        groups.sort(Comparator.comparing(Tuple2::_1));
        return foldInOrder(groups.stream().map(Tuple2::_2).toList(), merge);
    }

    private static <T> T foldInOrder(List<T> values, Merge<T> merge) {
        T sum = values.getFirst();
        for (int i = 1; i < values.size(); i++) {
            sum = merge.merge(sum, values.get(i));
        }
        return sum;
    }
}
