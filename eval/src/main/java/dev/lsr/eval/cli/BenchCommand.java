package dev.lsr.eval.cli;

import picocli.CommandLine.Command;

/** {@code lsr bench}. TEMPORARY: replaced by the issue that owns this verb. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks: seismic (index) and encoder.")
public final class BenchCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("lsr bench: not available in this build yet");
        return ExitCodes.INTERNAL;
    }
}
