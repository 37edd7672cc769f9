package org.unicom4j.cli.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.checkpoint.PickleException;
import org.unicom4j.model.checkpoint.Unpickler;
import org.unicom4j.retrieval.metrics.RevisitedQuery;

/**
 * A revisited Oxford/Paris ground truth as the revisitop project ships it ({@code gnd_roxford5k.pkl},
 * {@code gnd_rparis6k.pkl}): a plain pickle of a dict with {@code imlist} (database image names, no extension),
 * {@code qimlist} (query image names) and {@code gnd}, one dict per query with {@code bbx} (x1, y1, x2, y2) and
 * the database indices {@code easy}, {@code hard}, {@code junk} (lists or NumPy arrays).
 *
 * @param name    the data set's name, from the file name ({@code gnd_roxford5k.pkl} -> roxford5k)
 * @param imlist  database image names
 * @param qimlist query image names
 * @param queries ground truth per query, in qimlist order
 */
record RevisitedGroundTruth(String name, List<String> imlist, List<String> qimlist, List<RevisitedQuery> queries) {

    static RevisitedGroundTruth read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": ground-truth file not found");
        }
        Object root;
        try {
            root = Unpickler.plain().load(Files.readAllBytes(file));
        } catch (PickleException e) {
            throw new FileFormatException(file + ": " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> dict)) {
            throw new FileFormatException(file + ": holds a " + typeName(root) + ", expected a dict with "
                    + "'imlist', 'qimlist' and 'gnd'");
        }
        List<String> imlist = strings(file, dict, "imlist");
        List<String> qimlist = strings(file, dict, "qimlist");
        List<?> gnd = list(file, dict.get("gnd"), "'gnd'");
        if (gnd.size() != qimlist.size()) {
            throw new FileFormatException(file + ": 'gnd' has " + gnd.size() + " entries for "
                    + qimlist.size() + " queries in 'qimlist'");
        }
        List<RevisitedQuery> queries = new ArrayList<>();
        for (int q = 0; q < gnd.size(); q++) {
            if (!(gnd.get(q) instanceof Map<?, ?> entry)) {
                throw new FileFormatException(file + ": gnd[" + q + "] is a " + typeName(gnd.get(q))
                        + ", expected a dict with 'bbx', 'easy', 'hard', 'junk'");
            }
            String where = "gnd[" + q + "]";
            double[] bbx = entry.get("bbx") == null ? null : numbers(file, entry.get("bbx"), where + "['bbx']");
            if (bbx != null && bbx.length != 4) {
                throw new FileFormatException(file + ": " + where + "['bbx'] has " + bbx.length
                        + " values, expected 4 (x1, y1, x2, y2)");
            }
            queries.add(new RevisitedQuery(indices(file, entry, "easy", where, imlist.size()),
                    indices(file, entry, "hard", where, imlist.size()),
                    indices(file, entry, "junk", where, imlist.size()), bbx));
        }
        String name = file.getFileName().toString().replaceFirst("^gnd_", "").replaceFirst("\\.pkl$", "");
        return new RevisitedGroundTruth(name, imlist, qimlist, queries);
    }

    private static List<String> strings(Path file, Map<?, ?> dict, String key) {
        List<?> values = list(file, dict.get(key), "'" + key + "'");
        List<String> out = new ArrayList<>();
        for (Object v : values) {
            if (!(v instanceof String s)) {
                throw new FileFormatException(file + ": '" + key + "' holds a " + typeName(v)
                        + ", expected image names (str)");
            }
            out.add(s);
        }
        return out;
    }

    private static List<?> list(Path file, Object value, String what) {
        if (!(value instanceof List<?> l)) {
            throw new FileFormatException(file + ": " + what + " is " + (value == null ? "missing"
                    : "a " + typeName(value)) + ", expected a list");
        }
        return l;
    }

    private static int[] indices(Path file, Map<?, ?> entry, String key, String where, int databaseSize) {
        Object value = entry.get(key);
        String what = where + "['" + key + "']";
        if (value == null) {
            throw new FileFormatException(file + ": " + what + " is missing");
        }
        double[] numbers = numbers(file, value, what);
        int[] out = new int[numbers.length];
        for (int i = 0; i < out.length; i++) {
            double v = numbers[i];
            if (v != Math.rint(v) || v < 0 || v >= databaseSize) {
                throw new FileFormatException(file + ": " + what + " holds " + v + ", expected database "
                        + "indices 0.." + (databaseSize - 1));
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** A list of numbers or a 1-D NumPy array, as doubles. */
    private static double[] numbers(Path file, Object value, String what) {
        if (value instanceof HostTensor t) {
            if (t.rank() > 1) {
                throw new FileFormatException(file + ": " + what + " is an array of shape "
                        + HostTensor.formatShape(t.shape()) + ", expected 1-D");
            }
            return t.toDoubleArray();
        }
        List<?> l = list(file, value, what);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                throw new FileFormatException(file + ": " + what + "[" + i + "] is a " + typeName(l.get(i))
                        + ", expected a number");
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o instanceof HostTensor ? "NumPy array" : o.getClass().getSimpleName();
    }
}
