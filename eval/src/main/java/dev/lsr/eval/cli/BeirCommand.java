package dev.lsr.eval.cli;

import picocli.CommandLine.Command;

/** {@code lsr beir}. TEMPORARY: replaced by the issue that owns this verb. */
@Command(name = "beir", mixinStandardHelpOptions = true, description = "Run a BEIR evaluation.")
public final class BeirCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("lsr beir: not available in this build yet");
        return ExitCodes.INTERNAL;
    }
}
