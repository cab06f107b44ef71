package dev.lsr.seismic.build;

import java.util.Arrays;

/** Growable scratch arrays and append-only lists shared by the build stages. */
final class BuildArrays {
    private BuildArrays() {}

    static long[] grow(long[] a, int need) {
        return a.length >= need ? a : new long[Math.max(need, a.length * 2)];
    }

    static int[] grow(int[] a, int need) {
        return a.length >= need ? a : new int[Math.max(need, a.length * 2)];
    }

    static float[] grow(float[] a, int need) {
        return a.length >= need ? a : new float[Math.max(need, a.length * 2)];
    }

    static final class IntList {
        private int[] a = new int[256];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    static final class ByteList {
        private byte[] a = new byte[256];
        private int n;

        void add(byte v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        byte[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
