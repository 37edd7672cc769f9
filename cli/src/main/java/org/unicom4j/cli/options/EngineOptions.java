package org.unicom4j.cli.options;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.spark.SparkSessions;
import picocli.CommandLine.Option;

/** {@code --engine jvm|spark} and {@code --master}: where {@code cluster} and {@code embed} run. */
public final class EngineOptions {

    @Option(names = "--engine", defaultValue = "jvm", paramLabel = "jvm|spark",
            description = "jvm: this process; spark: Apache Spark (default: ${DEFAULT-VALUE})")
    String engine = "jvm";

    @Option(names = "--master", paramLabel = "URL",
            description = "with --engine spark: the Spark master (default: spark-submit's, else local[*] in this "
                    + "process)")
    String master;

    /** Whether the engine is Spark; an unknown engine, or --master without Spark, is a one-line error. */
    public boolean spark() {
        boolean spark = switch (engine.toLowerCase(Locale.ROOT)) {
            case "jvm" -> false;
            case "spark" -> true;
            default -> throw new InvalidInputException("--engine '" + engine + "': expected jvm or spark");
        };
        if (!spark && master != null) {
            throw new InvalidInputException("--master needs --engine spark");
        }
        return spark;
    }

    /** The session: --master's, else spark-submit's, else an embedded local[*]. */
    public SparkSession session(String appName) {
        if (master == null) {
            return SparkSessions.getOrCreate(appName);
        }
        return master.startsWith("local") ? SparkSessions.local(master, appName)
                : SparkSession.builder().master(master).appName(appName).getOrCreate();
    }
}
