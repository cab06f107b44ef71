package dev.lsr.eval.cli;

import picocli.CommandLine.Command;

/** {@code lsr model}. TEMPORARY: replaced by the issue that owns this verb. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Import a model into a self-describing model directory.")
public final class ModelCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("lsr model: not available in this build yet");
        return ExitCodes.INTERNAL;
    }
}
