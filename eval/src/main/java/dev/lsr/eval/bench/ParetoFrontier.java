package dev.lsr.eval.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The recall/latency trade-off of a sweep: its Pareto frontier and the fastest point per recall level. */
public final class ParetoFrontier {
    /** The recall levels of {@code at_recall}, as written in the report. */
    public static final List<String> LEVELS = List.of("0.90", "0.95", "0.98");

    private ParetoFrontier() {}

    /**
     * The points no other point dominates (another has recall >= and p50 strictly lower), fastest
     * first; points equal in both are all kept.
     */
    public static List<SweepPoint> frontier(List<SweepPoint> points) {
        List<SweepPoint> out = new ArrayList<>();
        for (SweepPoint p : points) {
            boolean dominated = false;
            for (SweepPoint o : points) {
                if (o != p && o.recall() >= p.recall() && o.p50Us() < p.p50Us()) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingDouble(SweepPoint::p50Us).thenComparingDouble(SweepPoint::recall));
        return out;
    }

    /** The fastest point reaching {@code level} (the first in sweep order among equals), or null. */
    public static SweepPoint fastestAtLeast(List<SweepPoint> points, double level) {
        SweepPoint best = null;
        for (SweepPoint p : points) {
            if (p.recall() >= level && (best == null || p.p50Us() < best.p50Us())) {
                best = p;
            }
        }
        return best;
    }

    /** {@code at_recall}: level -> point map or null, for every level of {@link #LEVELS}. */
    public static Map<String, Object> atRecall(List<SweepPoint> points) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String level : LEVELS) {
            SweepPoint p = fastestAtLeast(points, Double.parseDouble(level));
            m.put(level, p == null ? null : p.toPoint());
        }
        return m;
    }
}
