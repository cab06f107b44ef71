package dev.lsr.eval.index;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap in use over a stretch of work, from the JVM's heap pools (reset at {@link #start}).
 * An upper bound of what the work needed: it includes garbage not yet collected, and the pools
 * peak at different moments, so their peaks summed may exceed any one moment's use.
 */
public final class HeapPeak {

    private HeapPeak() {}

    public static HeapPeak start() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        return new HeapPeak();
    }

    /** Sum of the heap pools' peak use since {@link #start}. */
    public long bytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
