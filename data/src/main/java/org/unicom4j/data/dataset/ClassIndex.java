package org.unicom4j.data.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps the class keys a list file uses (numbers or names) to contiguous indices 0..n-1 in sorted key order, so a
 * split holding classes 101..200 trains a 100-way classifier. Numeric keys sort numerically.
 */
final class ClassIndex {
    private final Map<String, Integer> index = new TreeMap<>(ClassIndex::compareKeys);

    static ClassIndex of(Iterable<String> keys) {
        ClassIndex c = new ClassIndex();
        for (String k : keys) {
            c.index.put(k, 0);
        }
        int i = 0;
        for (Map.Entry<String, Integer> e : c.index.entrySet()) {
            e.setValue(i++);
        }
        return c;
    }

    int of(String key) {
        Integer i = index.get(key);
        if (i == null) {
            throw new IllegalArgumentException("unknown class key '" + key + "'");
        }
        return i;
    }

    List<String> names() {
        return new ArrayList<>(index.keySet());
    }

    static int compareKeys(String a, String b) {
        boolean na = isNumber(a);
        boolean nb = isNumber(b);
        if (na && nb) {
            int c = Long.compare(Long.parseLong(a), Long.parseLong(b));
            return c != 0 ? c : a.compareTo(b);
        }
        if (na != nb) {
            return na ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i)) && !(i == 0 && s.charAt(i) == '-' && s.length() > 1)) {
                return false;
            }
        }
        return true;
    }
}
