package dev.lsr.seismic.forward;

import java.lang.foreign.MemorySegment;

/**
 * What the u8 weight codes of {@link DocSketches} stand for: code 0 is weight 0, codes 1 to 255
 * are {@value #OCTAVES} octaves below the collection's largest weight up to it, in equal log steps
 * (2^(1/21.2), 3.3%). A weight is encoded as the largest code whose weight does not exceed it, so a
 * sketch never overstates a document; weights below the lowest code become 0 (they are 4,096
 * times below the largest and add nothing a rescoring would notice).
 *
 * <p>Stored with the index (256 little-endian floats), so opening it needs no data pass.
 */
public final class SketchCodebook {
    public static final int CODES = 256;
    public static final int OCTAVES = 12;
    static final SketchCodebook EMPTY = new SketchCodebook(new float[CODES]);

    private final float[] weights;

    private SketchCodebook(float[] weights) {
        this.weights = weights;
    }

    /** The codebook of a collection whose largest weight is {@code max} (0 or less: every code is 0). */
    public static SketchCodebook forMax(float max) {
        float[] w = new float[CODES];
        if (max > 0f && Float.isFinite(max)) {
            double steps = (CODES - 2) / (double) OCTAVES;
            for (int c = 1; c < CODES; c++) {
                w[c] = (float) (max * Math.pow(2, (c - (CODES - 1)) / steps));
            }
            w[CODES - 1] = max;
        }
        return new SketchCodebook(w);
    }

    /** Reads one written by {@link #segment()}; it must rise strictly from code 1 (or be all zero). */
    public static SketchCodebook read(MemorySegment s) {
        if (s.byteSize() != CODES * 4L) {
            throw new IllegalArgumentException("a sketch codebook holds " + CODES + " floats, not " + s.byteSize() + " bytes");
        }
        float[] w = new float[CODES];
        for (int c = 0; c < CODES; c++) {
            w[c] = s.get(Layouts.F32, c * 4L);
        }
        boolean zero = w[CODES - 1] == 0f;
        for (int c = 1; c < CODES; c++) {
            boolean ok = zero ? w[c] == 0f : w[c] > w[c - 1] && Float.isFinite(w[c]);
            if (!ok || w[0] != 0f) {
                throw new IllegalArgumentException("sketch codebook is not rising at code " + c);
            }
        }
        return new SketchCodebook(w);
    }

    /** The largest code whose weight is at most {@code w} (0 for w below code 1, NaN or negative). */
    public int encode(float w) {
        if (!(w >= weights[1]) || weights[CODES - 1] == 0f) {
            return 0;
        }
        int lo = 1;
        int hi = CODES - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (weights[mid] <= w) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    public float weight(int code) {
        return weights[code];
    }

    /** A copy of the 256 weights. */
    public float[] weights() {
        return weights.clone();
    }

    /** The stored form: 256 little-endian floats on the heap. */
    public MemorySegment segment() {
        MemorySegment s = MemorySegment.ofArray(new byte[CODES * 4]);
        for (int c = 0; c < CODES; c++) {
            s.set(Layouts.F32, c * 4L, weights[c]);
        }
        return s;
    }
}
