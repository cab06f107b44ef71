package dev.lsr.seismic;

import java.util.Arrays;

/**
 * An immutable learned sparse vector: strictly increasing term ids, each with a finite weight > 0.
 *
 * <p>This is the currency of the whole project: the encoder produces it, the index stores it, the
 * Seismic structure searches it. Construction validates once so that every consumer can trust the
 * invariants without re-checking on hot paths.
 */
public final class SparseVector {

    private static final SparseVector EMPTY = new SparseVector(new int[0], new float[0]);

    private final int[] indices;
    private final float[] values;

    private SparseVector(int[] indices, float[] values) {
        this.indices = indices;
        this.values = values;
    }

    public static SparseVector empty() {
        return EMPTY;
    }

    /**
     * Validates and copies. Term ids must be strictly increasing and in {@code [0, dim)}, weights
     * finite and {@code > 0}.
     *
     * @throws InvalidVectorException naming the offending entry
     */
    public static SparseVector of(int[] indices, float[] values, int dim) {
        int[] ids = indices.clone();
        float[] ws = values.clone();
        validate(ids, ws, dim, true);
        return ids.length == 0 ? EMPTY : new SparseVector(ids, ws);
    }

    /**
     * Like {@link #of} but accepts term ids in any order; they are sorted. Duplicate ids are an
     * error rather than summed, because a duplicate almost always means a caller bug.
     */
    public static SparseVector ofUnsorted(int[] indices, float[] values, int dim) {
        if (indices.length != values.length) {
            throw new InvalidVectorException(
                    "indices and values differ in length: " + indices.length + " vs " + values.length);
        }
        int n = indices.length;
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            // Sort ids while remembering the original slot; validate() reports sorted positions,
            // so range errors are reported here against the caller's own positions first.
            checkEntry(indices[i], values[i], dim, i);
            packed[i] = ((long) indices[i] << 32) | i;
        }
        Arrays.sort(packed);
        int[] ids = new int[n];
        float[] ws = new float[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (int) (packed[i] >>> 32);
            ws[i] = values[(int) packed[i]];
            if (i > 0 && ids[i] == ids[i - 1]) {
                throw new InvalidVectorException("duplicate term id " + ids[i] + " at entries "
                        + (int) packed[i - 1] + " and " + (int) packed[i]);
            }
        }
        return n == 0 ? EMPTY : new SparseVector(ids, ws);
    }

    /**
     * Wraps arrays the caller promises never to touch again, after validating them. For builders
     * on bulk paths that already own fresh arrays.
     */
    public static SparseVector wrap(int[] indices, float[] values, int dim) {
        validate(indices, values, dim, true);
        return indices.length == 0 ? EMPTY : new SparseVector(indices, values);
    }

    private static void validate(int[] ids, float[] ws, int dim, boolean sorted) {
        if (ids.length != ws.length) {
            throw new InvalidVectorException(
                    "indices and values differ in length: " + ids.length + " vs " + ws.length);
        }
        for (int i = 0; i < ids.length; i++) {
            checkEntry(ids[i], ws[i], dim, i);
            if (sorted && i > 0 && ids[i] <= ids[i - 1]) {
                throw new InvalidVectorException("entry " + i + ": term id " + ids[i]
                        + (ids[i] == ids[i - 1] ? " is duplicated" : " is out of order")
                        + " (previous " + ids[i - 1] + "); term ids must be strictly increasing");
            }
        }
    }

    private static void checkEntry(int id, float w, int dim, int position) {
        if (id < 0 || id >= dim) {
            throw new InvalidVectorException(
                    "entry " + position + ": term id " + id + " is outside [0, " + dim + ")");
        }
        if (!Float.isFinite(w)) {
            throw new InvalidVectorException(
                    "entry " + position + " (term " + id + "): weight " + w + " is not finite");
        }
        if (!(w > 0f)) {
            throw new InvalidVectorException(
                    "entry " + position + " (term " + id + "): weight " + w + " must be > 0");
        }
    }

    /** Number of non-zero entries. */
    public int size() {
        return indices.length;
    }

    public boolean isEmpty() {
        return indices.length == 0;
    }

    public int index(int i) {
        return indices[i];
    }

    public float value(int i) {
        return values[i];
    }

    /** A copy of the term ids. */
    public int[] indices() {
        return indices.clone();
    }

    /** A copy of the weights. */
    public float[] values() {
        return values.clone();
    }

    /** Copies the term ids into {@code dst} at {@code off}; allocation-free access for hot paths. */
    public void copyIndices(int[] dst, int off) {
        System.arraycopy(indices, 0, dst, off, indices.length);
    }

    /** Copies the weights into {@code dst} at {@code off}. */
    public void copyValues(float[] dst, int off) {
        System.arraycopy(values, 0, dst, off, values.length);
    }

    /** Dot product by merging the two sorted id lists. */
    public float dot(SparseVector other) {
        int[] a = indices;
        int[] b = other.indices;
        int i = 0;
        int j = 0;
        float sum = 0f;
        while (i < a.length && j < b.length) {
            int x = a[i];
            int y = b[j];
            if (x == y) {
                sum += values[i++] * other.values[j++];
            } else if (x < y) {
                i++;
            } else {
                j++;
            }
        }
        return sum;
    }

    /** Dot product against a dense query of at least {@code maxIndex + 1} entries. */
    public float dot(float[] dense) {
        float sum = 0f;
        for (int i = 0; i < indices.length; i++) {
            sum += values[i] * dense[indices[i]];
        }
        return sum;
    }

    /** Sum of weights (the L1 norm, since weights are positive). */
    public float l1() {
        float s = 0f;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    /** The {@code k} largest-weight entries (ties broken by lower term id), still sorted by id. */
    public SparseVector topK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, was " + k);
        }
        if (k >= indices.length) {
            return this;
        }
        Integer[] order = new Integer[indices.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> {
            int c = Float.compare(values[q], values[p]);
            return c != 0 ? c : Integer.compare(indices[p], indices[q]);
        });
        int[] keep = new int[k];
        for (int i = 0; i < k; i++) {
            keep[i] = order[i];
        }
        Arrays.sort(keep);
        int[] ids = new int[k];
        float[] ws = new float[k];
        for (int i = 0; i < k; i++) {
            ids[i] = indices[keep[i]];
            ws[i] = values[keep[i]];
        }
        return k == 0 ? EMPTY : new SparseVector(ids, ws);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseVector v
                && Arrays.equals(indices, v.indices)
                && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(indices) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SparseVector{");
        for (int i = 0; i < indices.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (i == 16) {
                sb.append("... ").append(indices.length - 16).append(" more");
                break;
            }
            sb.append(indices[i]).append(':').append(values[i]);
        }
        return sb.append('}').toString();
    }
}
