package org.neuralode4j.cli.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.analysis.verdict.Verdict;
import org.neuralode4j.cli.report.OutputDir;

/** The IRDM study on the shared shape: a tiny plan through the real runner, and I3's rule on constructed errors. */
class IrdmStudyTest {
    static final IrdmStudy.Sizes TINY = new IrdmStudy.Sizes("quick", new String[] {"circles"}, new String[] {"circles"},
            1, 2, 16, 1, 20, 30, 40, 40, 1, 8, 1, 1);

    @TempDir
    Path tmp;

    @Test
    void tinyPlanGivesEveryClaimAVerdictLineAndNamesTheDepartures() throws Exception {
        Plan plan = IrdmStudy.plan(TINY);
        // gradient: 2 problems × 2 stages; train: circles and disk-annulus × 4 methods; rnode: 2 arms; 1 seed each
        assertEquals(4 + 8 + 2, plan.runs().size());
        assertEquals(8, plan.runs().stream().filter(Run::timed).count(), "the training runs are timed");
        Map<String, Object> r = new StudyRunner(new IrdmStudy(), plan, 2, new PrintStream(new ByteArrayOutputStream()))
                .runAll(new OutputDir(tmp), "test");
        @SuppressWarnings("unchecked")
        Map<String, String> verdicts = (Map<String, String>) r.get("verdicts");
        assertEquals(List.of("I1", "I2", "I3", "I4", "I5"), List.copyOf(verdicts.keySet()));
        assertTrue(verdicts.get("I1").startsWith("inconclusive"), verdicts.get("I1"));
        assertTrue(verdicts.get("I2").startsWith("inconclusive: gate failed (convergence"), verdicts.get("I2"));
        assertTrue(verdicts.get("I3").startsWith("inconclusive"), verdicts.get("I3"));
        assertEquals("not tested", verdicts.get("I5"));
        String md = Files.readString(tmp.resolve("report.md"));
        for (String claim : List.of("I1", "I2", "I3", "I4", "I5")) {
            assertTrue(md.contains(claim), claim);
        }
        assertTrue(md.contains("CIFAR-10") && md.contains("tabular FFJORD") && md.contains("VAE"), "departures");
        assertTrue(md.contains("CPU-scaled training: 2 CNF iterations"), "the iteration cut is named");
        assertTrue(md.contains("| circles | gradient init | 1e-3 | matched |"), "the gradient table");
        for (String f : new String[] {"results.json", "grad_error_circles_init_1e-3.png", "loss_vs_time_circles.png",
                "loss_vs_time_disk-annulus.png", "loss_vs_nfe_circles.png", "memory_vs_time_circles.png",
                "runs/run-0000.json"}) {
            assertTrue(Files.isRegularFile(tmp.resolve(f)), f);
        }
        // The measured numbers are real: every gradient error is finite and small, the piecewise-linear baseline
        // with 4 nodes is no better than barycentric interpolation, and every training run finished.
        Results rs = new Results(RunFiles.read(tmp, "irdm", plan));
        // Every CNF training run reports the memory its backward passes held, and the adjoint holds less than direct.
        double direct = Results.mean(rs.values("circles", "direct", "memory.mb.max"));
        double adjoint = Results.mean(rs.values("circles", "adjoint", "memory.mb.max"));
        assertTrue(adjoint > 0 && adjoint < direct, "memory held: adjoint " + adjoint + " MB, direct " + direct + " MB");
        for (RunResult run : rs.runs()) {
            if (run.run().text("family").equals("gradient")) {
                for (double tol : IrdmStudy.TOLERANCES) {
                    double e = run.scalar(IrdmStudy.errKey(tol, "matched", 10));
                    assertTrue(e > 0 && e < 0.05, run.run().label() + " " + tol + ": " + e);
                    assertTrue(run.scalar(IrdmStudy.errKey(tol, "linear", 4)) >= 0.5 * run.scalar(
                            IrdmStudy.errKey(tol, "matched", 4)), run.run().label());
                }
            } else {
                assertEquals(0, run.scalar("diverged"), run.run().label());
                assertTrue(run.scalar("nll") > 0 && Double.isFinite(run.scalar("nll")), run.run().label());
            }
        }
    }

    /** Results of one gradient configuration set from per-seed errors at n = 10, n = 16 and of the adjoint. */
    private static Results constructed(Plan plan, double[] n10, double[] n16, double[] adjoint) {
        List<RunResult> rs = new ArrayList<>();
        for (Run run : plan.runs()) {
            Measurements.Builder m = new Measurements.Builder();
            if (run.text("family").equals("gradient")) {
                for (double tol : IrdmStudy.TOLERANCES) {
                    m.put(IrdmStudy.errKey(tol, "matched", 10), n10[run.seed()])
                            .put(IrdmStudy.errKey(tol, "matched", 16), n16[run.seed()])
                            .put(IrdmStudy.errKey(tol, "adjoint", 0), adjoint[run.seed()]);
                }
            }
            rs.add(new RunResult(run, m.build(), 1, "test", "2026-01-01T00:00:00Z"));
        }
        return new Results(rs);
    }

    @Test
    void i3IsSupportedOnlyWhenNTenIsWithinTwiceBothNSixteenAndTheAdjoint() {
        IrdmStudy.Sizes three = new IrdmStudy.Sizes("full", new String[] {"circles"}, new String[0], 3, 2, 16, 1, 20,
                30, 40, 40, 1, 8, 1, 1);
        Plan plan = IrdmStudy.plan(three);
        Results close = constructed(plan, new double[] {1e-3, 2e-3, 1.5e-3}, new double[] {1e-3, 1.5e-3, 1e-3},
                new double[] {2e-3, 1.5e-3, 3e-3});
        assertEquals(Verdict.SUPPORTED, IrdmClaims.i3(plan, close).verdict().verdict());
        // n = 10 ten times worse than the adjoint everywhere: every configuration fails.
        Results far = constructed(plan, new double[] {1e-2, 2e-2, 1.5e-2}, new double[] {1e-3, 1.5e-3, 1e-3},
                new double[] {1e-3, 1.5e-3, 1e-3});
        assertEquals(Verdict.NOT_SUPPORTED, IrdmClaims.i3(plan, far).verdict().verdict());
        // Seeds on both sides of the threshold: inconclusive.
        Results split = constructed(plan, new double[] {1e-3, 5e-3, 1e-3}, new double[] {1e-3, 1e-3, 1e-3},
                new double[] {1e-3, 1e-3, 1e-3});
        assertEquals(Verdict.INCONCLUSIVE, IrdmClaims.i3(plan, split).verdict().verdict());
    }

    @Test
    void i1ReadsTrainingCpuTimeAndI2TheTestQualityOfIrdmAgainstTheAdjoint() {
        IrdmStudy.Sizes three = new IrdmStudy.Sizes("full", new String[] {"circles"}, new String[0], 3,
                IrdmStudy.SPEC_ITERATIONS, 16, 1, 20, 30, 40, 40, 1, 8, 1, 1);
        Plan plan = IrdmStudy.plan(three);
        List<RunResult> rs = new ArrayList<>();
        for (Run run : plan.runs()) {
            boolean irdm = run.arm().equals("interpolated");
            double s = run.seed();
            // CPU seconds say IRDM takes about half the adjoint's time; the wall seconds (a loaded machine) say the
            // opposite, so a rule reading the wall time would not support I1.
            rs.add(new RunResult(run, new Measurements.Builder().put(IrdmStudy.TRAIN_CPU, (irdm ? 5 : 10) + s)
                    .put(Measurements.TIMING + "train", (irdm ? 10 : 5) + s)
                    .put("nll", 2.0 + 0.01 * s).put("acc.test", irdm ? 0.95 : 0.96).build(), 1, "test", "d"));
        }
        Results results = new Results(rs);
        String[] tasks = IrdmStudy.trainTasks(plan);
        assertEquals(List.of("circles", IrdmStudy.W1_TASK), List.of(tasks));
        assertEquals(Verdict.SUPPORTED, IrdmClaims.i1(results, tasks).verdict().verdict(), "about half the CPU time");
        // Equal NLL on circles (non-inferior); a full point of accuracy lost on disk-annulus (Δ = 0.01): not both.
        ClaimResult i2 = IrdmClaims.i2(results, tasks, IrdmClaims.convergence(plan));
        assertTrue(IrdmClaims.convergence(plan).passed(), "1000 iterations pass the gate");
        assertEquals(Verdict.SUPPORTED, IrdmClaims.i2(results, new String[] {"circles"}, IrdmClaims.convergence(plan))
                .verdict().verdict());
        assertTrue(i2.verdict().verdict() != Verdict.SUPPORTED, i2.evidence().toString());
    }
}
