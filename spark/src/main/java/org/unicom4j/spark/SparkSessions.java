package org.unicom4j.spark;

import java.net.URL;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Where the distributed jobs get their session: the one {@code spark-submit} configured (it sets
 * {@code spark.master} for the driver), or else an embedded local master in this JVM, so that
 * {@code unicom4j ... --engine spark} needs no cluster.
 */
public final class SparkSessions {
    /** The master of an embedded run: one task per core of this machine. */
    public static final String EMBEDDED_MASTER = "local[*]";

    private SparkSessions() {
    }

    /** spark-submit's session if there is one, else {@link #local} on {@link #EMBEDDED_MASTER}. */
    public static SparkSession getOrCreate(String appName) {
        if (System.getProperty("spark.master") == null) { // spark-submit passes its settings as system properties
            return local(EMBEDDED_MASTER, appName);
        }
        return SparkSession.builder().config(new SparkConf()).appName(appName).getOrCreate();
    }

    /**
     * A session on a local master ({@code local[N]}, or {@code local[N,F]} for F attempts per task), bound to the
     * loopback address, without the web UI, logging warnings only unless a log4j2 configuration is given.
     */
    public static SparkSession local(String master, String appName) {
        quietLoggingUnlessConfigured();
        return SparkSession.builder().master(master).appName(appName)
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .getOrCreate();
    }

    private static void quietLoggingUnlessConfigured() {
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            URL config = SparkSessions.class.getResource("log4j2-embedded.properties");
            if (config != null && SparkSessions.class.getClassLoader().getResource("log4j2-test.properties") == null) {
                System.setProperty("log4j2.configurationFile", config.toString());
            }
        }
    }
}
