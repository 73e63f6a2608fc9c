package org.neuralode4j.analysis.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The inputs the revised rules rest on (claims.md §0.1): second-half growth (R6), robustness relative to clean
 * accuracy (J5), the matched-NFE comparison (J4), gates, "premise not met" and the Pareto front.
 */
class MeasuresAndGatesTest {
    @Test
    void growthIgnoresTheFloorOfTheFirstIterations() {
        // 20 iterations at the NFE floor, then 80 flat at 40: last/first would say 2, the second half says 1.
        double[] flat = new double[100];
        for (int i = 0; i < 100; i++) flat[i] = i < 20 ? 20 : 40;
        assertEquals(1.0, GrowthRatio.secondHalf(flat), 0);
        // Growing through the second half: iterations 40..49 at 40, the last ten at 70.
        double[] grows = flat.clone();
        for (int i = 90; i < 100; i++) grows[i] = 70;
        assertEquals(1.75, GrowthRatio.secondHalf(grows), 1e-15);
        assertTrue(Double.isNaN(GrowthRatio.secondHalf(new double[9])));
    }

    @Test
    void growthRuleHoldsFailsAndIsInconclusive() {
        // R6's check-rule part on constructed ρ values: ρ(λ = 0) ≥ 1.5.
        assertEquals(Verdict.SUPPORTED, VerdictRule.checkRule(new double[] {1.8, 1.7, 1.9}, Scale.LINEAR, 1.5, true)
            .verdict());
        assertEquals(Verdict.NOT_SUPPORTED, VerdictRule.checkRule(new double[] {1.0, 1.1, 1.05}, Scale.LINEAR, 1.5,
            true).verdict());
        assertEquals(Verdict.INCONCLUSIVE, VerdictRule.checkRule(new double[] {1.0, 1.9, 1.6}, Scale.LINEAR, 1.5, true)
            .verdict());
    }

    @Test
    void relativeRobustnessRemovesTheCleanAccuracyDifference() {
        double[] clean = {0.9, 0.8, 0.0};
        double[] pgd = {0.45, 0.4, 0.0};
        double[] r = RelativeRobustness.ratios(pgd, clean);
        assertEquals(0.5, r[0], 1e-15);
        assertEquals(0.5, r[1], 1e-15);
        assertTrue(Double.isNaN(r[2]));
        // An arm with half the clean accuracy and half the PGD accuracy is exactly as robust on the ratio: the
        // non-superiority rule calls it "not better", which absolute PGD accuracy would call "worse".
        double[] baseRatio = RelativeRobustness.ratios(new double[] {0.5, 0.52, 0.48}, new double[] {1, 1, 1});
        double[] armRatio = RelativeRobustness.ratios(new double[] {0.25, 0.26, 0.24}, new double[] {0.5, 0.5, 0.5});
        Outcome o = NonSuperiority.existential(List.of("arm"), List.of(PairedComparison.of(baseRatio, armRatio,
            Scale.LINEAR)), Floors.ACCURACY_DELTA);
        assertEquals(Verdict.SUPPORTED, o.verdict(), o.explanation());
    }

    @Test
    void matchedComparisonPicksTheNearestCostOnLog10() {
        double[] kCost = {40, 40, 40};
        double[] kAcc = {0.95, 0.96, 0.94};
        List<MatchedComparison.Candidate> cands = List.of(
            new MatchedComparison.Candidate("F λ=0.01", new double[] {80, 80, 80}, new double[] {0.97, 0.97, 0.97}),
            new MatchedComparison.Candidate("F λ=0.1", new double[] {50, 50, 50}, new double[] {0.90, 0.91, 0.89}),
            new MatchedComparison.Candidate("F λ=1", new double[] {20, 20, 20}, new double[] {0.6, 0.6, 0.6}));
        // |log10(50/40)| = 0.097 < |log10(20/40)| = 0.301.
        MatchedComparison.Result r = MatchedComparison.nearest(kCost, kAcc, cands, Scale.LINEAR, 2);
        assertEquals("F λ=0.1", r.label());
        assertEquals(0.05, r.comparison().meanDiff(), 1e-12);
        assertEquals(0.05, r.low(), 1e-12); // identical per-seed differences: zero se
        assertTrue(r.explanation().contains("F λ=0.1"));
        assertNull(MatchedComparison.nearest(kCost, kAcc, List.of(), Scale.LINEAR, 2));
    }

    @Test
    void gatesTurnAVerdictIntoInconclusiveWithTheReason() {
        Gate ok = Gate.baselineQuality("moons none accuracy", new double[] {0.96, 0.97, 0.95}, 0.95, true);
        Gate bad = Gate.baselineQuality("2spirals none accuracy", new double[] {0.99, 0.62, 0.55}, 0.95, true);
        assertTrue(ok.passed());
        assertFalse(bad.passed());
        assertTrue(bad.reason().contains("1 of 3 seeds"), bad.reason());
        GatedVerdict g = GatedVerdict.of(Verdict.SUPPORTED, List.of(ok, bad));
        assertEquals(Verdict.INCONCLUSIVE, g.verdict());
        assertTrue(g.label().startsWith("inconclusive: gate failed (2spirals none accuracy"), g.label());
        assertEquals("supported", GatedVerdict.of(Verdict.SUPPORTED, List.of(ok)).label());
        Gate collapsed = Gate.collapse("λ=1", new double[] {0.6, 0.7, 0.65}, new double[] {0.97, 0.96, 0.98}, 0.10, true);
        Gate fine = Gate.collapse("λ=0.1", new double[] {0.95, 0.94, 0.96}, new double[] {0.97, 0.96, 0.98}, 0.10, true);
        assertFalse(collapsed.passed());
        assertTrue(fine.passed());
        Gate nll = Gate.collapse("λ=1", new double[] {3.6, 3.7, 3.5}, new double[] {3.0, 3.0, 3.0}, 0.5, false);
        assertFalse(nll.passed());
    }

    @Test
    void premiseNotMetIsItsOwnVerdict() {
        Map<String, Verdict> all = new LinkedHashMap<>();
        all.put("a", Verdict.PREMISE_NOT_MET);
        all.put("b", Verdict.PREMISE_NOT_MET);
        assertEquals(Verdict.PREMISE_NOT_MET, VerdictRule.aggregateOverTasks(all));
        all.put("c", Verdict.SUPPORTED);
        assertEquals(Verdict.INCONCLUSIVE, VerdictRule.aggregateOverTasks(all), "one supported task of three");
        assertEquals(Verdict.PREMISE_NOT_MET, Verdict.weakest(Verdict.SUPPORTED, Verdict.PREMISE_NOT_MET));
        assertEquals(Verdict.NOT_SUPPORTED, Verdict.weakest(Verdict.NOT_SUPPORTED, Verdict.PREMISE_NOT_MET));
        assertEquals("premise not met", Verdict.PREMISE_NOT_MET.label());
    }

    @Test
    void paretoFrontFlagsDominatedConfigurations() {
        List<ParetoFront.Point> f = ParetoFront.of(List.of(
            new ParetoFront.Input("λ=0", new double[] {100, 100}, new double[] {3.0, 3.0}),
            new ParetoFront.Input("λ=0.1", new double[] {60, 60}, new double[] {3.0, 3.02}),
            new ParetoFront.Input("λ=0.3", new double[] {70, 70}, new double[] {3.1, 3.1}),
            new ParetoFront.Input("λ=1", new double[] {40, Double.NaN}, new double[] {3.5, Double.NaN})), false);
        assertTrue(f.get(0).onFront());
        assertTrue(f.get(1).onFront());
        assertFalse(f.get(2).onFront(), "λ=0.1 has lower NFE and lower NLL");
        assertTrue(f.get(3).onFront());
        assertEquals(1, f.get(3).seeds());
        assertEquals(Math.sqrt(0.0002), f.get(1).qualitySd(), 1e-12);
    }
}
