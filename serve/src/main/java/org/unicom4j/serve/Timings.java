package org.unicom4j.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/** The steps of one request and their times in milliseconds, as the response reports them. */
final class Timings {
    private final Map<String, Double> steps = new LinkedHashMap<>();
    private long last = System.nanoTime();

    /** Ends the step {@code name} now; the next step starts here. */
    void lap(String name) {
        long now = System.nanoTime();
        steps.put(name, Math.round((now - last) / 1e4) / 100.0);
        last = now;
    }

    Map<String, Double> millis() {
        return steps;
    }
}
