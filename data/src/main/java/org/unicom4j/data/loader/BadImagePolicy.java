package org.unicom4j.data.loader;

/** What a loader does with an image that cannot be read or decoded. */
public enum BadImagePolicy {
    /** Leave it out of its batch, count it, report the count and the first few paths when the epoch ends. */
    SKIP,
    /** Fail the epoch at the first one, naming it. */
    STOP
}
