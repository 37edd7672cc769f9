package org.unicom4j.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
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

    /** {@code merge(a, b)} adds b, the later value, to a and returns the sum (it may reuse a). */
    public static <T> T fold(JavaRDD<T> onePerPartition, Function2<T, T, T> merge, int fanout) throws Exception {
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

    private static <T> T foldInOrder(List<T> values, Function2<T, T, T> merge) throws Exception {
        T sum = values.getFirst();
        for (int i = 1; i < values.size(); i++) {
            sum = merge.call(sum, values.get(i));
        }
        return sum;
    }
}
