package dev.lsr.eval.beir;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import java.io.PrintStream;

/** Opens a model for a BEIR run. Until the encoder module publishes SparseEncoder, models cannot be opened. */
public final class ModelAdapter {

    private ModelAdapter() {}

    public static EvalModel open(String model, Integer docTopK, Double centringPercentile, Double threshold,
            BeirDataset ds, PrintStream err) {
        throw new BadInputException("--model " + model + ": this build has no encoder yet; use --docs and --queries");
    }
}
