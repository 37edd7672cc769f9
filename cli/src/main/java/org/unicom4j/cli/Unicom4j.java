package org.unicom4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.unicom4j.cli.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code unicom4j} command: one entry point, a subcommand per job. */
@Command(name = "unicom4j", mixinStandardHelpOptions = true, version = "unicom4j 0.1.0",
        description = "Universal, compact image-retrieval embeddings on the JVM (Unicom).",
        subcommands = {DemoCommand.class, ConvertCommand.class, TrainCommand.class})
public final class Unicom4j implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; bad input ends in one line on stderr and a non-zero exit code. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Unicom4j());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof IOException || e instanceof UncheckedIOException) {
                commandLine.getErr().println("unicom4j " + commandLine.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
