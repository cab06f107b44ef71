package dev.lsr.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runs {@code lsr beir} expands its sweep options to, in order, and the values it refuses. */
class RunPlanTest {

    private static RunPlan plan(List<Integer> cuts, List<Double> heapFactors, List<String> fusions,
            List<Double> sparseWeights, List<Double> prfWeights) {
        return new RunPlan(cuts, heapFactors, fusions, 60, sparseWeights, prfWeights, 3, 20);
    }

    private static List<String> labels(RunPlan plan, List<String> modes, List<String> queryModes) {
        return plan.specs(modes, queryModes).stream().map(RunSpec::label).toList();
    }

    @Test
    void approximateRunsSweepCutsOuterAndHeapFactorsInnerInEachQueryMode() {
        RunPlan p = plan(List.of(5, 10), List.of(0.8, 1.0), List.of(), List.of(), List.of());
        assertThat(labels(p, List.of("approximate", "bm25"), List.of("full", "inference-free"))).containsExactly(
                "approximate[query_mode=full,query_cut=5,heap_factor=0.8]",
                "approximate[query_mode=full,query_cut=5,heap_factor=1.0]",
                "approximate[query_mode=full,query_cut=10,heap_factor=0.8]",
                "approximate[query_mode=full,query_cut=10,heap_factor=1.0]",
                "approximate[query_mode=inference-free,query_cut=5,heap_factor=0.8]",
                "approximate[query_mode=inference-free,query_cut=5,heap_factor=1.0]",
                "approximate[query_mode=inference-free,query_cut=10,heap_factor=0.8]",
                "approximate[query_mode=inference-free,query_cut=10,heap_factor=1.0]",
                "bm25");
    }

    @Test
    void unsweptSettingsLeaveTheCollectionsDefaults() {
        RunPlan p = plan(List.of(), List.of(), List.of(), List.of(), List.of());
        assertThat(labels(p, List.of("exact", "approximate", "hybrid"), List.of("full"))).containsExactly(
                "exact[query_mode=full]",
                "approximate[query_mode=full]",
                "hybrid[query_mode=full,fusion=rrf,rrf_k=60]");
    }

    @Test
    void linearFusionSweepsTheSparseWeightAndPrfFollowsEachVectorRun() {
        RunPlan p = new RunPlan(List.of(), List.of(), List.of("linear", "rrf"), 30, List.of(0.3, 0.7), List.of(0.5), 2, 5);
        assertThat(labels(p, List.of("hybrid", "bm25"), List.of("full"))).containsExactly(
                "hybrid[query_mode=full,fusion=linear,sparse_weight=0.3]",
                "hybrid[query_mode=full,fusion=linear,sparse_weight=0.3,prf_docs=2,prf_terms=5,prf_weight=0.5]",
                "hybrid[query_mode=full,fusion=linear,sparse_weight=0.7]",
                "hybrid[query_mode=full,fusion=linear,sparse_weight=0.7,prf_docs=2,prf_terms=5,prf_weight=0.5]",
                "hybrid[query_mode=full,fusion=rrf,rrf_k=30]",
                "hybrid[query_mode=full,fusion=rrf,rrf_k=30,prf_docs=2,prf_terms=5,prf_weight=0.5]",
                "bm25");
    }

    @Test
    void badValuesAreRefusedWhenThePlanIsMadeNamingTheOption() {
        // Checked whatever the modes, so that they fail before the corpus is encoded.
        assertThatThrownBy(() -> plan(List.of(0), List.of(), List.of(), List.of(), List.of()))
                .isInstanceOf(BadInputException.class).hasMessage("--query-cut must be >= 1, got 0");
        assertThatThrownBy(() -> plan(List.of(), List.of(1.5), List.of(), List.of(), List.of()))
                .isInstanceOf(BadInputException.class).hasMessage("--heap-factor must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> plan(List.of(), List.of(0.0), List.of(), List.of(), List.of()))
                .isInstanceOf(BadInputException.class).hasMessage("--heap-factor must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> plan(List.of(), List.of(), List.of("max"), List.of(), List.of()))
                .isInstanceOf(BadInputException.class).hasMessage("--fusion must be rrf or linear, got 'max'");
        assertThatThrownBy(() -> plan(List.of(), List.of(), List.of(), List.of(-0.1), List.of()))
                .isInstanceOf(BadInputException.class).hasMessage("--sparse-weight must be in [0, 1], got -0.1");
        assertThatThrownBy(() -> plan(List.of(), List.of(), List.of(), List.of(), List.of(Double.NaN)))
                .isInstanceOf(BadInputException.class).hasMessage("--prf-weight must be in [0, 1], got NaN");
        assertThatThrownBy(() -> new RunPlan(List.of(), List.of(), List.of(), 0, List.of(), List.of(), 3, 20))
                .isInstanceOf(BadInputException.class).hasMessage("--rrf-k must be >= 1, got 0");
        assertThatThrownBy(() -> new RunPlan(List.of(), List.of(), List.of(), 60, List.of(), List.of(0.5), 0, 20))
                .isInstanceOf(BadInputException.class)
                .hasMessage("--prf-docs must be in [1, 100] and --prf-terms in [1, 1000], got 0 and 20");
        // PRF sizes only matter when PRF runs.
        assertThat(new RunPlan(List.of(), List.of(), List.of(), 60, List.of(), List.of(), 0, 0)
                .specs(List.of("exact"), List.of("full"))).hasSize(1);
    }
}
