package dev.lsr.eval.cli;

import picocli.CommandLine.Command;

/** {@code lsr bench seismic}. TEMPORARY: replaced by the issue that owns this verb. */
@Command(name = "seismic", mixinStandardHelpOptions = true, description = "Benchmark: seismic.")
public final class BenchSeismicCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("lsr bench seismic: not available in this build yet");
        return ExitCodes.INTERNAL;
    }
}
