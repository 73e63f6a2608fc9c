package org.neuralode4j.analysis.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-computed examples for the rules of evaluation.md §4.4 and the aggregation of claims.md §0. */
class VerdictRuleTest {

    private static final double[] ZERO3 = {0, 0, 0};

    /** A paired comparison whose per-seed differences are exactly d (baseline 0, linear scale). */
    private static PairedComparison diffs(double... d) {
        return PairedComparison.of(new double[d.length], d, Scale.LINEAR);
    }

    // ---------------------------------------------------------------- PairedComparison

    @Test
    void pairedStatistics() {
        PairedComparison c = PairedComparison.of(new double[] {1, 2, 3}, new double[] {0.9, 1.88, 2.86}, Scale.LINEAR);
        // d = (−0.10, −0.12, −0.14): d̄ = −0.12, sd = 0.02, se = 0.02/√3.
        assertTrue(c.paired());
        assertEquals(3, c.seeds());
        assertEquals(-0.12, c.meanDiff(), 1e-12);
        assertEquals(0.02, c.sdDiff(), 1e-12);
        assertEquals(0.02 / Math.sqrt(3), c.se(), 1e-12);
    }

    @Test
    void unpairedStatistics() {
        PairedComparison c = PairedComparison.of(new double[] {1, 2, 3}, new double[] {2, 3, 4, 5}, Scale.LINEAR);
        // d̄ = 3.5 − 2 = 1.5; se = √(var_T/4 + var_B/3) = √(1.6667/4 + 1/3) = √0.75.
        assertFalse(c.paired());
        assertEquals(3, c.seeds());
        assertEquals(1.5, c.meanDiff(), 1e-12);
        assertEquals(Math.sqrt(0.75), c.se(), 1e-12);
        assertTrue(Double.isNaN(c.sdDiff()));
        // Forced unpaired with equal lengths uses the unpaired se.
        PairedComparison u = PairedComparison.unpaired(new double[] {1, 2, 3}, new double[] {2, 4, 6}, Scale.LINEAR);
        assertEquals(Math.sqrt(4.0 / 3 + 1.0 / 3), u.se(), 1e-12);
    }

    @Test
    void log10ScaleTransformsBeforeDifferencing() {
        PairedComparison c = PairedComparison.of(new double[] {100, 200, 50}, new double[] {80, 158, 40.5},
            Scale.LOG10);
        double[] d = {Math.log10(0.8), Math.log10(0.79), Math.log10(0.81)};
        double mean = (d[0] + d[1] + d[2]) / 3;
        assertEquals(mean, c.meanDiff(), 1e-12);
        assertEquals(Math.log10(100), c.scaledBaseline()[0], 1e-15);
        assertEquals(100, c.baseline()[0], 0.0); // raw values are kept
        Outcome o = VerdictRule.directional(c, Direction.LOWERS, Floors.NFE_FLOOR, 2.0);
        assertEquals(Verdict.SUPPORTED, o.verdict());
        assertTrue(o.explanation().contains("log10"), o.explanation());
    }

    @Test
    void log10OfNonPositiveIsAnError() {
        assertThrows(IllegalArgumentException.class,
            () -> PairedComparison.of(new double[] {1, 0, 2}, new double[] {1, 1, 1}, Scale.LOG10));
        assertThrows(IllegalArgumentException.class, () -> Scale.LOG10.apply(-3.0));
        assertThrows(IllegalArgumentException.class,
            () -> new PairedComparison(new double[] {1, 2}, new double[] {1, 2, 3}, Scale.LINEAR, true));
    }

    // ---------------------------------------------------------------- directional

    @Test
    void directionalSupported() {
        // d̄ = −0.12, se = 0.01155: |d̄| > 2·se = 0.0231 and ≥ 0.0212.
        Outcome o = VerdictRule.directional(diffs(-0.10, -0.12, -0.14), Direction.LOWERS, 0.0212, 2.0);
        assertEquals(Verdict.SUPPORTED, o.verdict());
        assertEquals(-0.12, o.meanDiff(), 1e-12);
        assertEquals(2.0, o.z(), 0.0);
        assertEquals(0.0212, o.floor(), 0.0);
        assertEquals(3, o.seeds());
        assertTrue(o.explanation().startsWith(
            "d̄ = −0.120 ± 0.012 (linear, S = 3, z = 2.00, floor 0.0212): supported"), o.explanation());
    }

    @Test
    void directionalNotSupportedOppositeDirection() {
        Outcome o = VerdictRule.directional(diffs(-0.10, -0.12, -0.14), Direction.RAISES, 0.0212, 2.0);
        assertEquals(Verdict.NOT_SUPPORTED, o.verdict());
        assertTrue(o.explanation().contains("opposite"), o.explanation());
    }

    @Test
    void directionalNotSupportedConfidentlyNegligible() {
        // d̄ = 0.016, se = 0.000577: |d̄| + 2·se = 0.01715 < 0.0212, even though d̄ is "significant".
        Outcome o = VerdictRule.directional(diffs(0.015, 0.016, 0.017), Direction.RAISES, 0.0212, 2.0);
        assertEquals(Verdict.NOT_SUPPORTED, o.verdict());
        assertTrue(o.explanation().contains("negligible"), o.explanation());
    }

    @Test
    void directionalInconclusive() {
        // d̄ = −0.1, sd = √0.0175 = 0.1323, se = 0.0764: |d̄| < 2·se and |d̄| + 2·se > floor.
        assertEquals(Verdict.INCONCLUSIVE,
            VerdictRule.directional(diffs(-0.2, 0.05, -0.15), Direction.LOWERS, 0.0212, 2.0).verdict());
        // Clearly nonzero (d̄ = 0.02, se = 0.00115) but below the floor and not confidently below it
        // (|d̄| + 2·se = 0.0223 ≥ 0.0212).
        assertEquals(Verdict.INCONCLUSIVE,
            VerdictRule.directional(diffs(0.018, 0.020, 0.022), Direction.RAISES, 0.0212, 2.0).verdict());
    }

    @Test
    void directionalWithStudentT() {
        // d̄/se = 0.2√3/0.1575 = 2.1995: passes z = 2 but not t_{0.975,2} = 4.303.
        PairedComparison c = diffs(0.0425, 0.2, 0.3575);
        assertEquals(Verdict.SUPPORTED, VerdictRule.directional(c, Direction.RAISES, 0.0212).verdict());
        Outcome t = VerdictRule.directional(c, Direction.RAISES, 0.0212, ZRule.STUDENT_T);
        assertEquals(Verdict.INCONCLUSIVE, t.verdict());
        assertEquals(4.303, t.z(), 1e-3);
    }

    @Test
    void fewerThanThreeSeedsIsInconclusiveWithObservedDirection() {
        PairedComparison c = PairedComparison.of(new double[] {1, 1}, new double[] {0.5, 0.4}, Scale.LINEAR);
        Outcome o = VerdictRule.directional(c, Direction.RAISES, 0.01, 2.0);
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertTrue(o.explanation().contains("(fewer than 3 seeds)"), o.explanation());
        assertTrue(o.explanation().contains("observed direction: lowers"), o.explanation());
        assertEquals(Verdict.INCONCLUSIVE,
            VerdictRule.nonInferiority(c, true, 0.01, ZRule.STUDENT_T).verdict());
        PairedComparison one = PairedComparison.of(new double[] {1}, new double[] {2}, Scale.LINEAR);
        Outcome o1 = VerdictRule.directional(one, Direction.RAISES, 0.01, ZRule.STUDENT_T);
        assertEquals(Verdict.INCONCLUSIVE, o1.verdict());
        assertTrue(o1.explanation().contains("observed direction: raises"), o1.explanation());
    }

    // ---------------------------------------------------------------- non-inferiority

    @Test
    void nonInferiorityHigherIsBetter() {
        // d̄ = −0.003, se = 0.000577: d̄ − 2se = −0.00415 > −0.01.
        assertEquals(Verdict.SUPPORTED,
            VerdictRule.nonInferiority(diffs(-0.002, -0.004, -0.003), true, 0.01, 2.0).verdict());
        // d̄ = −0.05, se = 0.00577: d̄ + 2se = −0.0385 < −0.01.
        assertEquals(Verdict.NOT_SUPPORTED,
            VerdictRule.nonInferiority(diffs(-0.05, -0.04, -0.06), true, 0.01, 2.0).verdict());
        // d̄ = −0.01, se = 0.00577: interval (−0.0215, 0.0015) straddles −0.01.
        assertEquals(Verdict.INCONCLUSIVE,
            VerdictRule.nonInferiority(diffs(-0.02, 0.0, -0.01), true, 0.01, 2.0).verdict());
    }

    @Test
    void nonInferiorityLowerIsBetter() {
        // NLL, Δ = 0.05. d̄ = 0.02, se = 0.00577: d̄ + 2se = 0.0315 < 0.05.
        Outcome s = VerdictRule.nonInferiority(diffs(0.01, 0.02, 0.03), false, Floors.NLL_DELTA);
        assertEquals(Verdict.SUPPORTED, s.verdict());
        assertEquals(0.05, s.delta(), 0.0);
        assertTrue(Double.isNaN(s.floor()));
        // d̄ = 0.11: d̄ − 2se = 0.0985 > 0.05.
        assertEquals(Verdict.NOT_SUPPORTED,
            VerdictRule.nonInferiority(diffs(0.10, 0.11, 0.12), false, Floors.NLL_DELTA, 2.0).verdict());
        // Large improvement is of course non-inferior.
        assertEquals(Verdict.SUPPORTED,
            VerdictRule.nonInferiority(diffs(-0.5, -0.4, -0.6), false, Floors.NLL_DELTA, 2.0).verdict());
    }

    // ---------------------------------------------------------------- existential

    @Test
    void existentialNamesSupportedConfiguration() {
        List<PairedComparison> configs = List.of(
            diffs(-0.2, 0.05, -0.15),      // inconclusive
            diffs(0.10, 0.12, 0.14),       // d̄/se = 0.12/0.01155 = 10.4 → supported
            diffs(-0.10, -0.12, -0.14));   // opposite → not supported
        Outcome o = VerdictRule.existential(configs, Direction.RAISES, 0.0212, ZRule.NORMAL);
        assertEquals(Verdict.SUPPORTED, o.verdict());
        assertEquals(1, o.configIndex());
        assertEquals(0.12, o.meanDiff(), 1e-12);
        assertEquals(2.394, o.z(), 1e-3);
        assertEquals(3, o.parts().size());
        assertEquals(Verdict.NOT_SUPPORTED, o.parts().get(2).verdict());
        assertTrue(o.explanation().contains("config 1 supported"), o.explanation());
        assertTrue(o.explanation().contains("2.394"), o.explanation());
    }

    @Test
    void existentialBonferroniIsStricterThanSingleZ() {
        // d̄/se = 2.1995: supported at z = 2, not at z_3 = 2.394.
        PairedComparison borderline = diffs(0.0425, 0.2, 0.3575);
        List<PairedComparison> configs = List.of(borderline, diffs(0.001, 0.002, 0.003), diffs(-0.1, -0.12, -0.14));
        Outcome o = VerdictRule.existential(configs, Direction.RAISES, 0.0212);
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals(0, o.configIndex()); // largest effect in the claimed direction
    }

    @Test
    void existentialNotSupportedWhenAllAre() {
        List<PairedComparison> configs = List.of(diffs(0.001, 0.002, 0.003), diffs(-0.1, -0.12, -0.14),
            diffs(-0.2, -0.25, -0.3));
        assertEquals(Verdict.NOT_SUPPORTED,
            VerdictRule.existential(configs, Direction.RAISES, 0.0212, ZRule.NORMAL).verdict());
    }

    @Test
    void existentialStudentTUsesBonferroniTQuantile() {
        List<PairedComparison> configs = List.of(diffs(0.10, 0.12, 0.14), diffs(0.1, 0.2, 0.3), diffs(0, 0, 0.01));
        Outcome o = VerdictRule.existential(configs, Direction.RAISES, 0.0212, ZRule.STUDENT_T);
        double a = 2 * (1 - 0.025 / 3) - 1; // ν = 2 closed form
        assertEquals(a * Math.sqrt(2 / (1 - a * a)), o.z(), 1e-6);
        assertEquals(Verdict.SUPPORTED, o.verdict()); // 10.4 > 7.65
        assertEquals(0, o.configIndex());
    }

    @Test
    void existentialWithFewSeedsIsInconclusive() {
        List<PairedComparison> configs = List.of(diffs(1, 1.1), diffs(2, 2.1), diffs(3, 3.1));
        Outcome o = VerdictRule.existential(configs, Direction.RAISES, 0.0212, ZRule.NORMAL);
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertTrue(o.explanation().contains("(fewer than 3 seeds)"), o.explanation());
    }

    // ---------------------------------------------------------------- compound and weakest

    @Test
    void compoundTakesWeakest() {
        Outcome sup = VerdictRule.directional(diffs(-0.10, -0.12, -0.14), Direction.LOWERS, 0.0212);
        Outcome inc = VerdictRule.nonInferiority(diffs(-0.02, 0.0, -0.01), true, 0.01);
        Outcome not = VerdictRule.nonInferiority(diffs(-0.05, -0.04, -0.06), true, 0.01);
        assertEquals(Verdict.SUPPORTED, VerdictRule.compound(sup, sup).verdict());
        assertEquals(Verdict.INCONCLUSIVE, VerdictRule.compound(sup, inc).verdict());
        assertEquals(Verdict.NOT_SUPPORTED, VerdictRule.compound(inc, sup, not).verdict());
        assertEquals(2, VerdictRule.compound(sup, inc).parts().size());
    }

    @Test
    void weakestOrdering() {
        assertEquals(Verdict.NOT_SUPPORTED, Verdict.weakest(Verdict.SUPPORTED, Verdict.NOT_SUPPORTED));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.weakest(Verdict.INCONCLUSIVE, Verdict.SUPPORTED));
        assertEquals(Verdict.SUPPORTED, Verdict.weakest(Verdict.SUPPORTED));
        assertEquals(Verdict.NOT_TESTED, Verdict.weakest(Verdict.SUPPORTED, Verdict.NOT_TESTED));
        assertEquals(Verdict.NOT_SUPPORTED, Verdict.weakest(Verdict.NOT_TESTED, Verdict.NOT_SUPPORTED));
        assertEquals("not supported", Verdict.NOT_SUPPORTED.label());
        assertEquals("not tested", Verdict.NOT_TESTED.label());
        assertEquals("mixed", Verdict.MIXED.label());
    }

    // ---------------------------------------------------------------- check rule

    @Test
    void checkRule() {
        assertEquals(Verdict.SUPPORTED, VerdictRule.checkRule(new double[] {0.6, 0.7, 0.8}, Scale.LINEAR, 0.5, true)
            .verdict());
        assertEquals(Verdict.NOT_SUPPORTED,
            VerdictRule.checkRule(new double[] {0.6, 0.7, 0.8}, Scale.LINEAR, 0.5, false).verdict());
        assertEquals(Verdict.INCONCLUSIVE,
            VerdictRule.checkRule(new double[] {0.4, 0.7, 0.8}, Scale.LINEAR, 0.5, true).verdict());
        assertEquals(Verdict.INCONCLUSIVE,
            VerdictRule.checkRule(new double[] {0.6, 0.7}, Scale.LINEAR, 0.5, true).verdict());
    }

    // ---------------------------------------------------------------- aggregation

    private static Map<String, Verdict> tasks(Verdict... vs) {
        Map<String, Verdict> m = new LinkedHashMap<>();
        for (int i = 0; i < vs.length; i++) m.put("task" + i, vs[i]);
        return m;
    }

    @Test
    void aggregation() {
        Verdict s = Verdict.SUPPORTED;
        Verdict n = Verdict.NOT_SUPPORTED;
        Verdict i = Verdict.INCONCLUSIVE;
        Verdict t = Verdict.NOT_TESTED;
        assertEquals(s, VerdictRule.aggregateOverTasks(tasks(s, s, i)));
        assertEquals(Verdict.MIXED, VerdictRule.aggregateOverTasks(tasks(s, n, s)));
        assertEquals(Verdict.MIXED, VerdictRule.aggregateOverTasks(tasks(s, n, i, i)));
        assertEquals(n, VerdictRule.aggregateOverTasks(tasks(n, n, i)));
        assertEquals(i, VerdictRule.aggregateOverTasks(tasks(s, i, i)));   // no majority
        assertEquals(i, VerdictRule.aggregateOverTasks(tasks(s, i)));      // 1 of 2 is not a majority
        assertEquals(s, VerdictRule.aggregateOverTasks(tasks(s, t)));      // untested tasks are not "run"
        assertEquals(t, VerdictRule.aggregateOverTasks(tasks(t, t)));
        assertEquals(t, VerdictRule.aggregateOverTasks(Map.of()));
        assertEquals(List.of("task0", "task2"), VerdictRule.tasksWith(tasks(s, n, s), s));
    }

    @Test
    void floorsTable() {
        assertEquals(0.005, Floors.ACCURACY_FLOOR);
        assertEquals(0.01, Floors.ACCURACY_DELTA);
        assertEquals(Math.log10(1.05), Floors.NFE_FLOOR, 1e-4);
        assertEquals(Math.log10(1.10), Floors.KAPPA_FLOOR, 1e-4);
        assertEquals(1e-3, Floors.DELTA_F_FLOOR);
        assertEquals(0.05, Floors.NLL_DELTA);
    }
}
