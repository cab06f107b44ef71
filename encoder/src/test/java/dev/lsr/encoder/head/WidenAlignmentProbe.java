package dev.lsr.encoder.head;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measurement harness (not a test): the fused head's fp32 tile (8 tokens x 32 rows, 16
 * accumulators) over one widened panel ({@code [768][32]} floats, as the int8 head widens it),
 * read at byte offsets 0, 8, 16, 32 and 48 from a 64-byte boundary: what a heap float[] placed
 * anywhere by the allocator costs. Runs T=256 (32 token tiles) x 2 column steps x 954 panels per
 * repetition, i.e. the work of one int8 head call at T=256 on one thread.
 * args: reps
 */
public final class WidenAlignmentProbe {
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final int H = 768;
    static final int PANEL = 32;

    public static void main(String[] args) {
        int reps = Integer.parseInt(args[0]);
        MemorySegment seg = Arena.ofAuto().allocate(4L * H * PANEL + 64, 64);
        Random rnd = new Random(1);
        for (long i = 0; i < seg.byteSize() / 4; i++) {
            seg.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) rnd.nextGaussian());
        }
        float[] x = new float[256 * H];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] out = new float[32];
        int[] offsets = {0, 8, 16, 32, 48};
        for (int round = 0; round < 3; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (int mis : offsets) {
                long best = Long.MAX_VALUE;
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    for (int p = 0; p < 954; p++) {
                        for (int j0 = 0; j0 < 16; j0 += FS.length()) {
                            for (int t = 0; t < 256; t += 8) {
                                tile(seg, mis + 4L * j0, x, t, out, j0);
                            }
                        }
                    }
                    best = Math.min(best, System.nanoTime() - t0);
                }
                line.append(String.format(" offset %2d B: %.1f ms;", mis, best / 1e6));
            }
            System.out.println(line);
        }
    }

    static void tile(MemorySegment seg, long base, float[] x, int t, float[] out, int j0) {
        FloatVector zero = FloatVector.zero(FS);
        FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
        FloatVector b0 = zero, b1 = zero, b2 = zero, b3 = zero, b4 = zero, b5 = zero, b6 = zero, b7 = zero;
        int o0 = t * H, o1 = o0 + H, o2 = o1 + H, o3 = o2 + H, o4 = o3 + H, o5 = o4 + H, o6 = o5 + H, o7 = o6 + H;
        long off = base;
        for (int k = 0; k < H; k++, off += 4 * PANEL) {
            FloatVector wa = FloatVector.fromMemorySegment(FS, seg, off, ByteOrder.LITTLE_ENDIAN);
            FloatVector wb = FloatVector.fromMemorySegment(FS, seg, off + 64, ByteOrder.LITTLE_ENDIAN);
            FloatVector v;
            v = FloatVector.broadcast(FS, x[o0 + k]); a0 = wa.fma(v, a0); b0 = wb.fma(v, b0);
            v = FloatVector.broadcast(FS, x[o1 + k]); a1 = wa.fma(v, a1); b1 = wb.fma(v, b1);
            v = FloatVector.broadcast(FS, x[o2 + k]); a2 = wa.fma(v, a2); b2 = wb.fma(v, b2);
            v = FloatVector.broadcast(FS, x[o3 + k]); a3 = wa.fma(v, a3); b3 = wb.fma(v, b3);
            v = FloatVector.broadcast(FS, x[o4 + k]); a4 = wa.fma(v, a4); b4 = wb.fma(v, b4);
            v = FloatVector.broadcast(FS, x[o5 + k]); a5 = wa.fma(v, a5); b5 = wb.fma(v, b5);
            v = FloatVector.broadcast(FS, x[o6 + k]); a6 = wa.fma(v, a6); b6 = wb.fma(v, b6);
            v = FloatVector.broadcast(FS, x[o7 + k]); a7 = wa.fma(v, a7); b7 = wb.fma(v, b7);
        }
        a0.max(a1).max(a2.max(a3)).max(a4.max(a5).max(a6.max(a7))).intoArray(out, j0);
        b0.max(b1).max(b2.max(b3)).max(b4.max(b5).max(b6.max(b7))).intoArray(out, j0 + 16);
    }
}
