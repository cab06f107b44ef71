package dev.lsr.eval.bench;

import java.lang.management.ManagementFactory;

/** Heap bytes allocated by all live threads of this JVM, for "how much did this call allocate". */
public final class HeapAllocation {

    private HeapAllocation() {}

    public static long allThreads() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported()) {
            return -1;
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        long sum = 0;
        for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
            if (b > 0) {
                sum += b;
            }
        }
        return sum;
    }
}
