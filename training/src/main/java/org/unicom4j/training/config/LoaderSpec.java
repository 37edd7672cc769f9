package org.unicom4j.training.config;

import org.unicom4j.training.trainer.Prefetch;

/**
 * How the training batches are built (config {@code loader}): {@code prefetch} batches ahead of the running step
 * on {@code threads} background threads (0: half the cores, at least 1). Neither changes the run's results, only
 * how long a step waits for its images, so a run may resume with other values.
 */
public record LoaderSpec(int prefetch, int threads) {

    static LoaderSpec read(ConfigNode n) {
        LoaderSpec spec = new LoaderSpec((int) n.integer("prefetch", 1, 0, Prefetch.MAX_DEPTH),
                (int) n.integer("threads", 0, 0, Prefetch.MAX_THREADS));
        n.finish();
        return spec;
    }

    static LoaderSpec defaults() {
        return new LoaderSpec(Prefetch.DEFAULT.depth(), Prefetch.DEFAULT.threads());
    }

    /** The trainer's setting. */
    public Prefetch toPrefetch() {
        return new Prefetch(prefetch, threads);
    }
}
