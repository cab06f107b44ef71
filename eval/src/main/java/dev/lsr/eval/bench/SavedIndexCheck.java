package dev.lsr.eval.bench;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.search.SearchParams;
import dev.lsr.seismic.search.SeismicSearcher;
import dev.lsr.seismic.store.SeismicFormat;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --save}: saves the index, opens it by memory mapping, reports time, heap growth and agreement. */
public final class SavedIndexCheck {
    private SavedIndexCheck() {}

    public static Map<String, Object> run(SeismicIndex index, Path dir, SparseVector[] queries, SearchParams sp,
            int[][] hits) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("seismic.idx");
        long ts = System.nanoTime();
        SeismicFormat.save(index, file);
        double saveSeconds = (System.nanoTime() - ts) / 1e9;
        var mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = mem.getHeapMemoryUsage().getUsed();
        Map<String, Object> out = new LinkedHashMap<>();
        try (Arena arena = Arena.ofShared()) {
            long to = System.nanoTime();
            SeismicIndex opened = SeismicFormat.open(file, arena);
            double openSeconds = (System.nanoTime() - to) / 1e9;
            System.gc();
            long heapAfter = mem.getHeapMemoryUsage().getUsed();
            SeismicSearcher s = opened.newSearcher();
            int[] o = new int[sp.k()];
            float[] sc = new float[sp.k()];
            int same = 0;
            for (int i = 0; i < queries.length; i++) {
                int h = s.search(queries[i], sp, null, o, sc);
                same += Arrays.equals(Arrays.copyOf(o, h), hits[i]) ? 1 : 0;
            }
            out.put("file", file.toString());
            out.put("file_bytes", Files.size(file));
            out.put("save_s", MethodStats.round(saveSeconds));
            out.put("open_s", MethodStats.round(openSeconds));
            out.put("open_includes_checksum", true);
            out.put("heap_delta_bytes", heapAfter - heapBefore);
            out.put("queries_identical", same);
        }
        return out;
    }
}
