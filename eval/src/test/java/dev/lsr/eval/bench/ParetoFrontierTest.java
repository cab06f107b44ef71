package dev.lsr.eval.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParetoFrontierTest {
    private static SweepPoint pt(int cut, double recall, double p50) {
        return new SweepPoint(cut, 0.9f, recall, Map.of("p50", p50, "p95", p50 * 2, "p99", p50 * 3), 100);
    }

    @Test
    void frontierKeepsOnlyUndominatedPointsFastestFirst() {
        SweepPoint a = pt(1, 0.80, 100);
        SweepPoint b = pt(2, 0.90, 150);
        SweepPoint dominatedByB = pt(3, 0.85, 200);
        SweepPoint c = pt(4, 0.99, 400);
        SweepPoint dominatedByC = pt(5, 0.99, 500);
        SweepPoint twinOfB = pt(6, 0.90, 150);
        List<SweepPoint> f = ParetoFrontier.frontier(List.of(c, dominatedByB, a, b, dominatedByC, twinOfB));
        assertThat(f).containsExactly(a, b, twinOfB, c);
    }

    @Test
    void atRecallPicksTheFastestPointMeetingEachLevelAndNullWhereNone() {
        SweepPoint slow95 = pt(1, 0.95, 900);
        SweepPoint fast95 = pt(2, 0.951, 300);
        SweepPoint fast90 = pt(3, 0.90, 100);
        SweepPoint slow97 = pt(4, 0.97, 1000);
        List<SweepPoint> all = List.of(slow95, fast95, fast90, slow97);
        assertThat(ParetoFrontier.fastestAtLeast(all, 0.90)).isEqualTo(fast90);
        assertThat(ParetoFrontier.fastestAtLeast(all, 0.95)).isEqualTo(fast95);
        assertThat(ParetoFrontier.fastestAtLeast(all, 0.98)).isNull();
        Map<String, Object> at = ParetoFrontier.atRecall(all);
        assertThat(at).containsOnlyKeys("0.90", "0.95", "0.98");
        assertThat(at.get("0.98")).isNull();
        assertThat(at.get("0.95")).isEqualTo(fast95.toPoint());
    }

    @Test
    void emptySweepGivesEmptyFrontierAndNulls() {
        assertThat(ParetoFrontier.frontier(List.of())).isEmpty();
        assertThat(ParetoFrontier.atRecall(List.of())).containsEntry("0.90", null).containsEntry("0.95", null)
                .containsEntry("0.98", null);
    }
}
