package org.unicom4j.training.method;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.unicom4j.training.config.InvalidConfigException;

/** The installed training methods, by name ({@link java.util.ServiceLoader} of {@link TrainingMethod}). */
public final class Methods {
    private Methods() {
    }

    /** Every installed method, sorted by name. */
    public static Map<String, TrainingMethod> installed() {
        Map<String, TrainingMethod> all = new TreeMap<>();
        for (TrainingMethod m : ServiceLoader.load(TrainingMethod.class)) {
            all.put(m.name(), m);
        }
        return all;
    }

    /** The method named {@code name}; an unknown name is a one-line error listing the known ones. */
    public static TrainingMethod named(String name) {
        Map<String, TrainingMethod> all = installed();
        TrainingMethod m = all.get(name);
        if (m == null) {
            throw new InvalidConfigException("config key 'method': unknown method '" + name + "' (known: "
                    + String.join(", ", all.keySet()) + ")");
        }
        return m;
    }
}
