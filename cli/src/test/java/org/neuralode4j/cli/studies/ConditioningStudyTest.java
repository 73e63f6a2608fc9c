package org.neuralode4j.cli.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.tensor.Tensor;

/** The conditioning study's plans and the measurement summaries its claims read. */
class ConditioningStudyTest {
    @Test
    void plansCoverEveryTaskArmAndSeed() {
        Plan full = new ConditioningStudy().plan(false);
        assertEquals(3 * 7 * 5, full.runs().size(), "3 tasks × 7 arms × 5 seeds (claims.md §0.1: S ≥ 5)");
        assertEquals(5, full.seeds());
        assertEquals(List.of(100, 101, 102, 103, 104), full.runs().stream().map(Run::seed).distinct().sorted().toList(),
                "fresh seeds: the report under the old rules used 0–2");
        assertTrue(full.departures().get(0).startsWith("seeds 100–104"));
        assertFalse(full.runs().stream().anyMatch(Run::timed), "no conditioning claim reads wall time");
        assertEquals(100, full.runs().stream().filter(r -> r.task().equals("2spirals")).findFirst().orElseThrow()
                .integer("epochs"));
        Plan quick = new ConditioningStudy().plan(true);
        assertEquals(3 * 7 * 2, quick.runs().size());
        assertTrue(quick.departures().stream().anyMatch(d -> d.startsWith("quick mode")));
        assertEquals(List.of("none", "frobenius λ=0.01", "frobenius λ=0.1", "frobenius λ=1", "condition λ=0.01",
                "condition λ=0.1", "condition λ=1"), ConditioningStudy.arms());
    }

    @Test
    void marginSummaryCountsCensoredPointsAndSkipsMisclassifiedOnes() {
        Measurements.Builder b = new Measurements.Builder();
        // 0 = misclassified (no margin), +∞ = censored at r_max.
        ConditioningStudy.margins(b, new double[] {0.1, 0.2, 0.3, 0.4, 0, Double.POSITIVE_INFINITY});
        Measurements m = b.build();
        assertEquals(5, m.scalar("margin.n"));
        assertEquals(1, m.scalar("margin.censored"));
        assertEquals(0.25, m.scalar("margin.mean"), 1e-15);
        assertEquals(0.25, m.scalar("margin.median"), 1e-15);
        assertEquals(0.13, m.scalar("margin.p10"), 1e-15); // type 7: h = 0.3 → 0.1 + 0.3·0.1
        assertEquals(0.1, m.scalar("margin.min"), 0);
    }

    @Test
    void marginRadiusIsTwiceTheFarthestPointFromTheMean() {
        Tensor x = Tensor.of(new double[] {-1, 0, 1, 0, 0, 2, 0, -2}, 4, 2);
        assertEquals(4.0, ConditioningStudy.rMax(x), 1e-15);
        assertEquals(1.0, ConditioningStudy.rMax(Tensor.of(new double[] {0, 0, 0, 0}, 2, 2)), 1e-15, "at least 20·s");
    }
}
