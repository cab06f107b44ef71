package dev.lsr.seismic.search;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.GeneratedCollection;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Exact top-10 per query: inverted lists (TAAT, MaxScore) vs the forward scan, one query per call, round robin. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector"})
public class ExactSearchBenchmark {
    @Param({"realistic:50000"})
    public String docs;

    @Param({"200"})
    public int queries;

    private SparseVector[] qs;
    private ExactSearcher scan;
    private InvertedExactSearcher taat;
    private InvertedExactSearcher maxScore;
    private final int[] ords = new int[10];
    private final float[] scores = new float[10];
    private final SearchParams p = SearchParams.defaults();
    private int next;

    @Setup
    public void setup() {
        GeneratedCollection c = GeneratedCollection.parse(docs);
        ForwardIndex f = ForwardIndex.of(IntStream.range(0, c.size()).parallel().mapToObj(c::document).toList(),
                c.dim(), WeightEncoding.F16);
        GeneratedCollection q = GeneratedCollection.parse(docs.substring(0, docs.indexOf(':') + 1) + queries);
        qs = IntStream.range(0, queries).mapToObj(q::query).toArray(SparseVector[]::new);
        InvertedLists lists = InvertedLists.of(f);
        scan = new ExactSearcher(f);
        taat = new InvertedExactSearcher(lists, f, InvertedExactSearcher.Strategy.TAAT);
        maxScore = new InvertedExactSearcher(lists, f, InvertedExactSearcher.Strategy.MAX_SCORE);
    }

    private SparseVector nextQuery() {
        SparseVector q = qs[next];
        next = next + 1 == qs.length ? 0 : next + 1;
        return q;
    }

    @Benchmark
    public int taat() {
        return taat.search(nextQuery(), p, null, ords, scores);
    }

    @Benchmark
    public int maxScore() {
        return maxScore.search(nextQuery(), p, null, ords, scores);
    }

    @Benchmark
    public int forwardScan() {
        return scan.search(nextQuery(), p, null, ords, scores);
    }
}
