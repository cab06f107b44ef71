package dev.lsr.eval.cli;

import picocli.CommandLine.Command;

/** {@code lsr encode}. TEMPORARY: replaced by the issue that owns this verb. */
@Command(name = "encode", mixinStandardHelpOptions = true, description = "Encode text into sparse vectors, printed as JSON.")
public final class EncodeCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("lsr encode: not available in this build yet");
        return ExitCodes.INTERNAL;
    }
}
