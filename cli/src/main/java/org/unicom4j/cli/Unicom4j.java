package org.unicom4j.cli;

import org.unicom4j.cli.assemble.AssembleCommand;
import org.unicom4j.cli.cluster.ClusterCommand;
import org.unicom4j.cli.demo.DemoCommand;
import org.unicom4j.cli.embed.EmbedCommand;
import org.unicom4j.cli.eval.EvalCommand;
import org.unicom4j.cli.search.IndexCommand;
import org.unicom4j.cli.search.SearchCommand;
import org.unicom4j.cli.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code unicom4j} command: one entry point, a subcommand per job. */
@Command(name = "unicom4j", mixinStandardHelpOptions = true, version = "unicom4j 0.1.0",
        description = "Universal, compact image-retrieval embeddings on the JVM (Unicom).",
        subcommands = {DemoCommand.class, AssembleCommand.class, EmbedCommand.class, ClusterCommand.class,
                TrainCommand.class, IndexCommand.class, SearchCommand.class, EvalCommand.class, ConvertCommand.class,
                ServeCommand.class})
public final class Unicom4j implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // log records (e.g. the auto backend's choice) as one line each, not java.util.logging's default two
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s: %5$s%6$s%n");
        System.exit(execute(args));
    }

    /**
     * Runs the command line. A failure ends in one line on stderr and the exit code of its {@link ExitStatus}
     * (2 bad input, 3 device failure, 4 training diverged, 1 a bug), listed in every command's --help.
     */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Unicom4j());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> ErrorLine.print(commandLine, e));
        cli.setParameterExceptionHandler((e, a) -> ErrorLine.printUsageError(e));
        listExitCodes(cli);
        return cli.execute(args);
    }

    private static void listExitCodes(CommandLine c) {
        c.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitStatus.helpList());
        c.getSubcommands().values().forEach(Unicom4j::listExitCodes);
    }
}
