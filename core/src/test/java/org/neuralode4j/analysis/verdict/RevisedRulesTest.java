package org.neuralode4j.analysis.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The revised rules of claims.md §0.1 on constructed data, each where the claim must hold, must fail and must be
 * inconclusive: the existential "fewer NFE without a quality cost" (J4, R1), the cost of a reduction (J2) and
 * non-superiority over configurations (J5).
 */
class RevisedRulesTest {
    private static final double[] NFE100 = {100, 100, 100, 100, 100};
    private static final double[] ACC = {0.97, 0.96, 0.97, 0.98, 0.97};

    private static double[] times(double[] v, double f) {
        double[] r = v.clone();
        for (int i = 0; i < r.length; i++) r[i] *= f;
        return r;
    }

    private static double[] plus(double[] v, double... d) {
        double[] r = v.clone();
        for (int i = 0; i < r.length; i++) r[i] += d[i % d.length];
        return r;
    }

    /** NFE: baseline 100, treatment scaled by f with ±1 % seed noise; quality: baseline ACC, treatment shifted. */
    private static ExistsWithoutCost.Config config(String label, double f, double... accShift) {
        double[] nfe = new double[] {100 * f * 1.01, 100 * f * 0.99, 100 * f, 100 * f * 1.005, 100 * f * 0.995};
        return new ExistsWithoutCost.Config(label, PairedComparison.of(NFE100, nfe, Scale.LOG10),
            PairedComparison.of(ACC, plus(ACC, accShift), Scale.LINEAR));
    }

    private static ExistsWithoutCost.Result judge(ExistsWithoutCost.Config... cs) {
        return ExistsWithoutCost.judge(List.of(cs), Direction.LOWERS, Floors.NFE_FLOOR, true, Floors.ACCURACY_DELTA);
    }

    @Test
    void existsWithoutCostHoldsAtTheFreeLambdaNotAtTheLargestCut() {
        ExistsWithoutCost.Result r = judge(config("λ=0.01", 1.0, 0.0, 0.001, -0.001),
            config("λ=0.1", 0.7, 0.001, -0.001, 0.0), config("λ=1", 0.4, -0.3, -0.32, -0.28));
        assertEquals(Verdict.SUPPORTED, r.verdict());
        // λ = 1 has the largest NFE cut but collapses; the rule names λ = 0.1, where both parts pass.
        assertEquals("λ=0.1", r.chosenLabel());
        assertEquals(VerdictRule.bonferroniZ(3), r.outcome().z(), 1e-12);
        assertEquals(Verdict.NOT_SUPPORTED, r.parts().get(2).verdict());
    }

    @Test
    void existsWithoutCostFailsWhenEveryLambdaIsEitherFlatOrCostly() {
        ExistsWithoutCost.Result r = judge(config("λ=0.01", 1.0, 0.0, 0.001, -0.001),
            config("λ=1", 0.4, -0.3, -0.32, -0.28));
        assertEquals(Verdict.NOT_SUPPORTED, r.verdict());
        assertEquals(-1, r.chosen());
    }

    @Test
    void existsWithoutCostIsInconclusiveOnNoiseAndOnTwoSeeds() {
        // NFE lowered, but accuracy too noisy to call non-inferior or inferior.
        ExistsWithoutCost.Result noisy = judge(config("λ=0.1", 0.7, 0.03, -0.05, 0.02, -0.06, 0.01));
        assertEquals(Verdict.INCONCLUSIVE, noisy.verdict());
        ExistsWithoutCost.Config two = new ExistsWithoutCost.Config("λ=0.1",
            PairedComparison.of(new double[] {100, 100}, new double[] {50, 50.5}, Scale.LOG10),
            PairedComparison.of(new double[] {0.9, 0.9}, new double[] {0.9, 0.9}, Scale.LINEAR));
        ExistsWithoutCost.Result r = judge(two);
        assertEquals(Verdict.INCONCLUSIVE, r.verdict());
        assertTrue(r.outcome().explanation().contains(VerdictRule.FEWER_THAN_3_SEEDS), r.outcome().explanation());
        assertTrue(r.parts().get(0).effect().explanation().contains("observed direction: lowers"));
    }

    private static Outcome cost(ExistsWithoutCost.Config... cs) {
        return CostOfReduction.judge(List.of(cs), Floors.NFE_FLOOR, true, Floors.ACCURACY_FLOOR,
            Floors.ACCURACY_DELTA);
    }

    @Test
    void costOfReductionHoldsWhenEveryReductionCostsAccuracy() {
        Outcome o = cost(config("λ=0.01", 1.0, 0.0, 0.001, -0.001), config("λ=0.1", 0.7, -0.05, -0.06, -0.04),
            config("λ=1", 0.4, -0.3, -0.32, -0.28));
        assertEquals(Verdict.SUPPORTED, o.verdict(), o.explanation());
    }

    @Test
    void costOfReductionFailsWhenAFreeReductionExists() {
        Outcome o = cost(config("λ=0.1", 0.7, 0.001, -0.001, 0.0), config("λ=1", 0.4, -0.3, -0.32, -0.28));
        assertEquals(Verdict.NOT_SUPPORTED, o.verdict(), o.explanation());
    }

    @Test
    void costOfReductionPremiseNotMetWithoutAReductionAndInconclusiveOnNoise() {
        Outcome none = cost(config("λ=0.01", 1.0, 0.0), config("λ=0.1", 1.002, 0.0));
        assertEquals(Verdict.PREMISE_NOT_MET, none.verdict(), none.explanation());
        Outcome noisy = cost(config("λ=0.1", 0.7, 0.03, -0.05, 0.02, -0.06, 0.01));
        assertEquals(Verdict.INCONCLUSIVE, noisy.verdict(), noisy.explanation());
    }

    private static Outcome notBetter(double[]... arms) {
        double[] base = {0.50, 0.52, 0.48, 0.51, 0.49};
        List<PairedComparison> cs = new java.util.ArrayList<>();
        List<String> labels = new java.util.ArrayList<>();
        for (double[] a : arms) {
            cs.add(PairedComparison.of(base, a, Scale.LINEAR));
            labels.add("arm " + labels.size());
        }
        return NonSuperiority.existential(labels, cs, Floors.ACCURACY_DELTA);
    }

    @Test
    void nonSuperiorityHoldsWhenSomeArmIsConfidentlyNoBetter() {
        Outcome o = notBetter(new double[] {0.70, 0.72, 0.68, 0.71, 0.69}, new double[] {0.50, 0.521, 0.479, 0.51, 0.49});
        assertEquals(Verdict.SUPPORTED, o.verdict(), o.explanation());
    }

    @Test
    void nonSuperiorityFailsWhenEveryArmIsConfidentlyBetter() {
        Outcome o = notBetter(new double[] {0.70, 0.72, 0.68, 0.71, 0.69}, new double[] {0.60, 0.62, 0.58, 0.61, 0.59});
        assertEquals(Verdict.NOT_SUPPORTED, o.verdict(), o.explanation());
    }

    @Test
    void nonSuperiorityIsInconclusiveOnNoise() {
        Outcome o = notBetter(new double[] {0.70, 0.72, 0.68, 0.71, 0.69}, new double[] {0.60, 0.42, 0.58, 0.41, 0.59});
        assertEquals(Verdict.INCONCLUSIVE, o.verdict(), o.explanation());
    }
}
