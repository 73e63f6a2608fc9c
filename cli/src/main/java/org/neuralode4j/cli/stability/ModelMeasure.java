package org.neuralode4j.cli.stability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.neuralode4j.analysis.Attacks;
import org.neuralode4j.analysis.Expansion;
import org.neuralode4j.analysis.ExpansionStats;
import org.neuralode4j.analysis.Fgsm;
import org.neuralode4j.analysis.Pgd;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.NodeClassifier;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.ClassifierTrainer;

/**
 * One model's measurements on the evaluation set for a stability report (stability.md §4.3 "test trajectories" and
 * "accuracy", from evaluation.md §1 and §2): clean accuracy on the whole test split; μ₂ and expansion along the
 * trajectories of the first N_eval test points; FGSM and PGD accuracy at a list of ε.
 *
 * @param accuracy  clean test accuracy
 * @param expansion μ₂ and expansion on the first N_eval test points
 * @param eps       attack radii (L∞)
 * @param fgsm      FGSM accuracy per radius
 * @param pgd       PGD accuracy per radius
 */
public record ModelMeasure(double accuracy, ExpansionStats expansion, double[] eps, double[] fgsm, double[] pgd) {
    /** The 2-D ε list of evaluation.md §2.4. */
    public static final double[] EPS_2D = {0, 0.05, 0.1, 0.2, 0.3};

    /**
     * Measures {@code model} on the first {@code points} test points (all of the test split for accuracy); the
     * attacks clip to {@code box} (null: no box; [0, 1] for images, evaluation.md §2.3).
     */
    public static ModelMeasure of(NodeClassifier model, LabelledSet test, SolverConfig solver, int points, double[] eps,
                                  Attacks.Box box, long seed) {
        int n = Math.min(points, test.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        LabelledSet some = test.rows(idx);
        double acc = ClassifierTrainer.evaluate(model, test, solver).accuracy();
        ExpansionStats e = Expansion.along(model.dynamics(), model.initialState(some.x()).detach(), 0, 1, 11, solver, 0.1,
                seed);
        Function<Tensor, Tensor> logits = x -> model.logits(model.flow(x, solver, new Direct()));
        double[] f = eps.length == 0 ? new double[0] : Fgsm.accuracy(logits, some.x(), some.labels(), eps, box);
        double[] p = eps.length == 0 ? new double[0] : Pgd.accuracy(logits, some.x(), some.labels(), eps,
                Rng.seeded(seed + 1), box);
        return new ModelMeasure(acc, e, eps.clone(), f, p);
    }

    /** μ₂ and expansion summaries with the fraction of μ₂ values above {@code threshold} (δ + τ). */
    public Map<String, Object> trajectories(double threshold) {
        Map<String, Object> m = new LinkedHashMap<>();
        ExpansionStats.Summary mu = expansion.mu2Summary();
        m.put("mu2_mean", mu.mean());
        m.put("mu2_median", mu.median());
        m.put("mu2_p90", mu.p90());
        m.put("mu2_max", mu.max());
        m.put("mu2_fraction_above_delta_plus_tau", expansion.mu2FractionAbove(threshold));
        m.put("mu2_fraction_positive", expansion.mu2FractionAbove(0));
        m.put("expansion_ratio", summary(expansion.ratioSummary()));
        m.put("local_expansion", summary(expansion.localSummary()));
        m.put("log_norm_bound", summary(expansion.boundSummary()));
        m.put("local_above_bound_fraction", expansion.localAboveBoundFraction());
        m.put("states", expansion.mu2().length);
        return m;
    }

    /** Mean, median, p90 and max as a JSON object. */
    public static Map<String, Object> summary(ExpansionStats.Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", s.mean());
        m.put("median", s.median());
        m.put("p90", s.p90());
        m.put("max", s.max());
        return m;
    }
}
