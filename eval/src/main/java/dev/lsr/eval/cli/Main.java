package dev.lsr.eval.cli;

import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lsr} command line (every verb except {@code serve}). Exit codes follow DESIGN.md:
 * 0 success, 2 bad usage or input (one line naming what and where), 1 internal failure.
 */
@Command(
        name = "lsr",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description = "Learned sparse retrieval: encode, index, evaluate and benchmark.",
        subcommands = {
            ModelCommand.class,
            EncodeCommand.class,
            IndexCommand.class,
            BeirCommand.class,
            BenchCommand.class,
            SnapshotCommand.class,
            RestoreCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a verb is required");
    }

    /**
     * Lucene says which vector path it uses, at INFO through java.util.logging: two dated lines on
     * stderr before any verb's own output or one-line error. Only warnings pass on the command line
     * (the logger is held here: java.util.logging keeps its loggers weakly, and a collected one
     * forgets its level). The service logs it, through its own logging.
     */
    private static final Logger LUCENE_VECTORIZATION = Logger.getLogger("org.apache.lucene.internal.vectorization");

    public static void main(String[] args) {
        LUCENE_VECTORIZATION.setLevel(Level.WARNING);
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; used by tests too. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        versionEverywhere(cl);
        cl.setExecutionExceptionHandler(new ExitCodes.ExceptionHandler());
        cl.setParameterExceptionHandler(new ExitCodes.UsageHandler());
        return cl.execute(args);
    }

    /** {@code lsr encode --version} prints what {@code lsr --version} prints, not an empty line. */
    private static void versionEverywhere(CommandLine cl) {
        cl.getCommandSpec().versionProvider(new VersionInfo());
        cl.getSubcommands().values().forEach(Main::versionEverywhere);
    }
}
