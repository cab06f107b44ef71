package dev.lsr.eval.cli;

import picocli.CommandLine.Command;

/** {@code lsr bench encoder}. TEMPORARY: replaced by the issue that owns this verb. */
@Command(name = "encoder", mixinStandardHelpOptions = true, description = "Benchmark: encoder.")
public final class BenchEncoderCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("lsr bench encoder: not available in this build yet");
        return ExitCodes.INTERNAL;
    }
}
