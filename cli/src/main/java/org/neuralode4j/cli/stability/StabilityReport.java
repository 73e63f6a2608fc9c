package org.neuralode4j.cli.stability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.stability.FineTune;
import org.neuralode4j.stability.RoundRecord;
import org.neuralode4j.stability.Schedule;
import org.neuralode4j.stability.StabilisationResult;
import org.neuralode4j.train.StabilisedTraining;
import org.neuralode4j.stability.StabilityOptions;

/**
 * {@code stability.json} and {@code stability.txt}: the fields of stability.md §4.3 that apply to a model
 * stabilised by {@code stabilize} or {@code train --stabilize} (De Marinis, Guglielmi, Sicilia, Tudisco 2025).
 *
 * @param options       the stabiliser's options
 * @param schedule      null for the {@code stabilize} command (post-hoc on a trained model)
 * @param fineTune      the fine-tuning mode
 * @param interleaved   interleaved rounds (empty unless INTERLEAVED)
 * @param result        the final STABILISE
 * @param tuned         what fine-tuning did
 * @param before        the trained model
 * @param afterStabilise after STABILISE, before fine-tuning (accuracy only is used)
 * @param after         the final model
 * @param seconds       wall time of all STABILISE calls
 */
public record StabilityReport(StabilityOptions options, Schedule schedule, FineTune fineTune,
                              List<StabilisationResult> interleaved, StabilisationResult result,
                              StabilisedTraining.FineTuneOutcome tuned, ModelMeasure before,
                              ModelMeasure afterStabilise, ModelMeasure after, double seconds) {
    /** The three caveats of stability.md §1.4, verbatim in every report. */
    public static final List<String> CAVEATS = List.of(
            "The library enforces mu2 <= delta at finitely many states (stability.md §2.3), not on whole segments between"
                    + " trajectories. The bound is exact for linear fields only. Values on test trajectories are"
                    + " measured, not guaranteed.",
            "It bounds the exact flow. A numerical step map has its own Lipschitz constant. For explicit Euler,"
                    + " |I + hJ|_2^2 <= 1 + 2h mu2(J) + h^2 |J|_2^2, so the discrete map can expand slightly even when"
                    + " mu2 <= 0.",
            "mu2 controls Euclidean distances. An L-infinity attack of radius eps can move a p-pixel input by up to"
                    + " eps sqrt(p) in the 2-norm, so whether L-infinity robustness improves is an empirical question.");

    public Map<String, Object> toJson() {
        StabilityOptions o = options;
        double horizon = 1.0;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("paper", "De Marinis, Guglielmi, Sicilia, Tudisco (2025), arXiv 2501.10740; spec stability.md");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("delta", o.delta());
        settings.put("tau", o.tau());
        settings.put("T", horizon);
        settings.put("C", Math.exp(o.delta() * horizon));
        settings.put("functional", o.functional().name());
        settings.put("constraint_samples", o.constraintSamples());
        settings.put("grid_intervals", o.gridIntervals());
        settings.put("rounds", o.rounds());
        settings.put("rebase", o.rebase().name());
        settings.put("max_outer", o.maxOuter());
        settings.put("rel_tol", o.relTol());
        settings.put("newton_factor", o.newtonFactor());
        settings.put("max_inner", o.maxInner());
        settings.put("h0", o.h0());
        settings.put("theta", o.theta());
        settings.put("safe_stop", o.safeStop());
        settings.put("stat_tol", o.statTol());
        settings.put("stag_tol", o.stagTol());
        settings.put("d_floor", o.dFloor());
        settings.put("active_margin", o.activeSet() ? o.activeMargin() : "off");
        settings.put("rank", o.rank() == 0 ? "full" : o.rank());
        settings.put("seed", o.seed());
        settings.put("threads", o.threads());
        settings.put("cholesky_certification", o.certify());
        settings.put("schedule", schedule == null ? "POST_HOC (stabilize command)" : schedule.name());
        settings.put("finetune", fineTune.name());
        m.put("settings", settings);
        List<Map<String, Object>> inter = new ArrayList<>();
        for (StabilisationResult r : interleaved) {
            inter.add(resultJson(r));
        }
        if (!inter.isEmpty()) {
            m.put("interleaved", inter);
        }
        m.put("stabilise", resultJson(result));
        if (tuned.extra() != null) {
            m.put("extra_round_after_finetune", resultJson(tuned.extra()));
            m.put("encoder_norm2_before_finetune", tuned.encoderNormBefore());
            m.put("encoder_norm2_after_finetune", tuned.encoderNormAfter());
        }
        m.put("finetune_epochs", tuned.epochs().size());
        m.put("stabilise_seconds", seconds);
        double threshold = o.delta() + o.tau();
        Map<String, Object> traj = new LinkedHashMap<>();
        traj.put("before", before.trajectories(threshold));
        traj.put("after", after.trajectories(threshold));
        m.put("test_trajectories", traj);
        Map<String, Object> acc = new LinkedHashMap<>();
        acc.put("clean_before", before.accuracy());
        acc.put("clean_after_stabilise", afterStabilise.accuracy());
        acc.put("clean_after_finetune", after.accuracy());
        acc.put("eps", before.eps());
        acc.put("fgsm_before", before.fgsm());
        acc.put("fgsm_after", after.fgsm());
        acc.put("pgd_before", before.pgd());
        acc.put("pgd_after", after.pgd());
        acc.put("control_arm", "not run here: a study gives plain training the same fine-tuning epochs (stability.md §4.2)");
        m.put("accuracy", acc);
        m.put("caveats", CAVEATS);
        return m;
    }

    private static Map<String, Object> resultJson(StabilisationResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> rounds = new ArrayList<>();
        for (RoundRecord rr : r.rounds()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("round", rr.round());
            x.put("states", rr.states());
            x.put("status", rr.status() == null ? "SATISFIED" : rr.status().name());
            x.put("eps", rr.eps());
            x.put("outer_iterations", rr.outer());
            x.put("inner_iterations", rr.inner());
            x.put("f_evaluations", rr.evaluations());
            x.put("eigendecompositions", rr.decompositions());
            x.put("seconds", rr.seconds());
            x.put("m_before_max", rr.maxBefore());
            x.put("lambda_before_mean", rr.meanBefore());
            x.put("m_after_max", rr.maxAfter());
            x.put("lambda_after_mean", rr.meanAfter());
            x.put("m_fresh_states_after", rr.freshAfter());
            rounds.add(x);
        }
        m.put("rounds", rounds);
        m.put("satisfied", r.satisfied());
        m.put("delta_frobenius", r.frobenius());
        m.put("delta_relative", r.relative());
        m.put("delta_spectral", r.spectral());
        m.put("delta_rank", r.rank());
        m.put("mu2_A_before", org.neuralode4j.stability.LogNorms.mu2(r.original()));
        m.put("mu2_A_after", org.neuralode4j.stability.LogNorms.mu2(r.stabilised()));
        m.put("f_evaluations", r.evaluations());
        m.put("eigendecompositions", r.decompositions());
        if (!Double.isNaN(r.float32Check())) {
            m.put("m_float32", r.float32Check());
        }
        return m;
    }

    /** The text report: the headline numbers and the caveats verbatim. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("log-norm stabilisation (De Marinis, Guglielmi, Sicilia, Tudisco 2025): delta %.4g,"
                + " tau %.3g, %s, rebase %s, finetune %s%n", options.delta(), options.tau(), options.functional(),
                options.rebase(), fineTune));
        for (RoundRecord rr : result.rounds()) {
            b.append(String.format("  round %d: K %d, %s, eps %.4g, outer %d, inner %d, F evaluations %d, "
                    + "eigendecompositions %d, %.2f s, m %.4g -> %.4g (fresh states %.4g)%n", rr.round(), rr.states(),
                    rr.status() == null ? "SATISFIED" : rr.status(), rr.eps(), rr.outer(), rr.inner(), rr.evaluations(),
                    rr.decompositions(), rr.seconds(), rr.maxBefore(), rr.maxAfter(), rr.freshAfter()));
        }
        b.append(String.format("  |Delta|_F %.4g (%.3g of |A0|_F), |Delta|_2 %.4g, rank %d, mu2(A) %.4g -> %.4g%n",
                result.frobenius(), result.relative(), result.spectral(), result.rank(),
                org.neuralode4j.stability.LogNorms.mu2(result.original()),
                org.neuralode4j.stability.LogNorms.mu2(result.stabilised())));
        double th = options.delta() + options.tau();
        b.append(String.format("  test trajectories: mu2 max %.4g -> %.4g, fraction > delta + tau %.3f -> %.3f,"
                + " median expansion ratio %.4g -> %.4g%n", before.expansion().mu2Summary().max(),
                after.expansion().mu2Summary().max(), before.expansion().mu2FractionAbove(th),
                after.expansion().mu2FractionAbove(th), before.expansion().ratioSummary().median(),
                after.expansion().ratioSummary().median()));
        b.append(String.format("  clean accuracy %.4f -> %.4f (after STABILISE) -> %.4f (after fine-tuning)%n",
                before.accuracy(), afterStabilise.accuracy(), after.accuracy()));
        for (int i = 0; i < before.eps().length; i++) {
            b.append(String.format("  eps %.3g: FGSM %.4f -> %.4f, PGD %.4f -> %.4f%n", before.eps()[i],
                    before.fgsm()[i], after.fgsm()[i], before.pgd()[i], after.pgd()[i]));
        }
        b.append("What the certificate does not cover (stability.md §1.4):\n");
        for (int i = 0; i < CAVEATS.size(); i++) {
            b.append("  ").append(i + 1).append(". ").append(CAVEATS.get(i)).append('\n');
        }
        return b.toString();
    }

    /** Writes both files into {@code out}. */
    public void write(OutputDir out) {
        out.writeJson("stability.json", toJson());
        out.write("stability.txt", text().getBytes(StandardCharsets.UTF_8));
    }
}
