package dev.lsr.seismic.tune;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.search.SearchParams;
import java.util.List;

/**
 * The outcome of {@link RecallTuner#tune}: the index built with the chosen build parameters and
 * the fastest search setting that reached the target on the tuning queries.
 *
 * @param index    the built index (with {@code build})
 * @param build    build parameters picked from the data (and raised when the first build could
 *                 not reach the target)
 * @param search   the chosen search setting: use it for queries of this index
 * @param chosen   its measurement on the tuning queries
 * @param reached  whether {@code chosen} reached target + margin; when false, {@code search} is the
 *                 most accurate setting measured
 * @param measured every setting measured on the final build
 * @param builds   how many builds were made (1 unless the target forced a denser index)
 * @param tuningQueries how many tuning queries were measured
 * @param seconds  wall time of builds, ground truth and measurements
 */
public record TunedIndex(SeismicIndex index, BuildParams build, SearchParams search, TunePoint chosen,
        boolean reached, List<TunePoint> measured, int builds, int tuningQueries, double seconds) {

    public TunedIndex {
        measured = List.copyOf(measured);
    }
}
