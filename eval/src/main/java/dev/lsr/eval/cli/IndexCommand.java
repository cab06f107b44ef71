package dev.lsr.eval.cli;

import picocli.CommandLine.Command;

/** {@code lsr index}. TEMPORARY: replaced by the issue that owns this verb. */
@Command(name = "index", mixinStandardHelpOptions = true, description = "Bulk-index a BEIR corpus or pre-encoded vectors into a collection.")
public final class IndexCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("lsr index: not available in this build yet");
        return ExitCodes.INTERNAL;
    }
}
