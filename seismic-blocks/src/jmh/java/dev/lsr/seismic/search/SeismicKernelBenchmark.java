package dev.lsr.seismic.search;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.build.SeismicBuilder;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.GeneratedCollection;
import java.util.Arrays;
import java.util.SplittableRandom;
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

/**
 * The search kernels against their references: forward-index dot product, document sketch scores
 * (u8-coded, batched), block summary dot product, block ordering (full sort vs heap with a few pops), and whole Seismic queries with
 * either block order. 4,096 random documents/blocks per call batch, so caches behave as in search.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector"})
public class SeismicKernelBenchmark {
    @Param({"synthetic:50000"})
    public String docs;

    /** Blocks per list for the ordering benchmarks, and how many are popped. */
    @Param({"64"})
    public int blocks;

    @Param({"4"})
    public int visited;

    private ForwardIndex forward;
    private SeismicIndex index;
    private SparseVector[] qs;
    private float[] dense;
    private int[] randomDocs;
    private int[] randomBlocks;
    private long[] packed;
    private long[] scratch;
    private SeismicSearcher heapSearcher;
    private SeismicSearcher sortSearcher;
    private final int[] ords = new int[10];
    private final float[] scores = new float[10];
    private int next;
    private final float[] sketchOut = new float[4096];

    @Setup
    public void setup() {
        GeneratedCollection c = GeneratedCollection.parse(docs);
        forward = ForwardIndex.of(IntStream.range(0, c.size()).parallel().mapToObj(c::document).toList(), c.dim(),
                WeightEncoding.F16);
        index = SeismicBuilder.build(forward, BuildParams.defaults());
        qs = IntStream.range(0, 200).mapToObj(c::query).toArray(SparseVector[]::new);
        dense = new float[c.dim()];
        SparseVector q = qs[0];
        for (int i = 0; i < q.size(); i++) {
            dense[q.index(i)] = q.value(i);
        }
        SplittableRandom r = new SplittableRandom(1);
        randomDocs = r.ints(4096, 0, forward.size()).toArray();
        randomBlocks = r.ints(4096, 0, index.blockCount()).toArray();
        packed = new long[blocks];
        for (int i = 0; i < blocks; i++) {
            packed[i] = ((long) Float.floatToRawIntBits((float) r.nextDouble()) << 32) | i;
        }
        scratch = new long[blocks];
        heapSearcher = new SeismicSearcher(index, false);
        sortSearcher = new SeismicSearcher(index, true);
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(4096)
    public float forwardDot() {
        float s = 0;
        for (int d : randomDocs) {
            s += forward.dot(d, dense);
        }
        return s;
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(4096)
    public float forwardDotReference() {
        float s = 0;
        for (int d : randomDocs) {
            s += forward.dotReference(d, dense);
        }
        return s;
    }

    /** Sketch scores of 4,096 random documents in one batch, as search scores a block's candidates. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(4096)
    public float sketchScoreBatch() {
        index.sketches().scoreBatch(randomDocs, randomDocs.length, dense, sketchOut);
        return sketchOut[0] + sketchOut[4095];
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(4096)
    public double sketchScoreReference() {
        double s = 0;
        for (int d : randomDocs) {
            s += index.sketches().scoreReference(d, dense);
        }
        return s;
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(4096)
    public double summaryDotReference() {
        double s = 0;
        for (int b : randomBlocks) {
            s += SeismicSearcher.summaryDotReference(index, b, dense);
        }
        return s;
    }

    @Benchmark
    public long blockOrderSort() {
        System.arraycopy(packed, 0, scratch, 0, blocks);
        Arrays.sort(scratch, 0, blocks);
        long x = 0;
        for (int v = 0; v < visited; v++) {
            x ^= scratch[blocks - 1 - v];
        }
        return x;
    }

    @Benchmark
    public long blockOrderHeap() {
        System.arraycopy(packed, 0, scratch, 0, blocks);
        BlockQueue.heapify(scratch, blocks);
        long x = 0;
        for (int v = 0; v < visited; v++) {
            x ^= BlockQueue.pop(scratch, blocks - v);
        }
        return x;
    }

    private SparseVector nextQuery() {
        SparseVector q = qs[next];
        next = next + 1 == qs.length ? 0 : next + 1;
        return q;
    }

    @Benchmark
    public int searchHeapOrder() {
        return heapSearcher.search(nextQuery(), SearchParams.defaults(), null, ords, scores);
    }

    @Benchmark
    public int searchSortOrder() {
        return sortSearcher.search(nextQuery(), SearchParams.defaults(), null, ords, scores);
    }
}
