package dev.lsr.eval.bench;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.eval.vectors.VectorSources;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.io.IdVector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code bench seismic --tuning-queries SRC}: the queries the recall tuner measures instead of
 * pseudo-queries (a user's query log), never the measured ones: every vector equal to a measured
 * query is dropped, so {@code SRC} may be the measured file itself (its first {@code
 * --max-queries} are then skipped) or a larger spec of the same generator ({@code synthetic:2000}
 * beside {@code synthetic:1000}: query {@code i} depends only on the seed and {@code i}).
 *
 * @param queries  at most the requested number, in source order
 * @param dropped  vectors left out because they are measured queries
 */
public record TuningQueries(List<SparseVector> queries, int dropped, String source) {

    /** The fewest tuning queries a recall estimate is made from. */
    public static final int MIN_QUERIES = 10;

    public static TuningQueries load(String src, VectorSources.Options options, SparseVector[] measured, int max) {
        if (max < MIN_QUERIES) {
            throw new BadInputException("--max-tuning-queries must be >= " + MIN_QUERIES + ", was " + max);
        }
        Set<SparseVector> seen = new HashSet<>(Arrays.asList(measured));
        List<SparseVector> out = new ArrayList<>();
        int dropped = 0;
        for (IdVector v : VectorSources.load(src, VectorSources.Role.QUERIES, options)) {
            if (seen.contains(v.vector())) {
                dropped++;
            } else if (out.size() < max) {
                out.add(v.vector());
            }
        }
        if (out.size() < MIN_QUERIES) {
            throw new BadInputException("--tuning-queries " + src + ": " + out.size() + " queries left after removing "
                    + dropped + " that are measured queries; at least " + MIN_QUERIES + " are needed");
        }
        return new TuningQueries(List.copyOf(out), dropped, src);
    }

    /** How the report names them. */
    public String describe() {
        return source + " (" + queries.size() + " queries; " + dropped + " equal to measured queries left out)";
    }
}
