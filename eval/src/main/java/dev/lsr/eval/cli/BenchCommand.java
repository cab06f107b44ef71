package dev.lsr.eval.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lsr bench}: the benchmark verbs; each measures its comparisons side by side in one run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks: seismic (index vs exact vs Lucene), encoder (fused vs ONNX head) and service (REST end to end on BEIR).",
        subcommands = {BenchSeismicCommand.class, BenchEncoderCommand.class, BenchServiceCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a benchmark: seismic, encoder or service");
    }
}
