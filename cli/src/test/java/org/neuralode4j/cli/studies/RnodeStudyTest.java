package org.neuralode4j.cli.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/** The RNODE study on the shared shape: a tiny plan end to end, and its premise and target rules on constructed data. */
class RnodeStudyTest {
    static final RnodeStudy.Sizes TINY = new RnodeStudy.Sizes("quick", new String[] {"8gaussians"},
            new double[] {0, 0.1}, 3, 32, 1e-2, 3, 10, 100, 1, 50, 50);

    @TempDir
    Path tmp;

    @Test
    void theTimingNoteSaysWhenTheKernelPoolTakesPartOfTraining() {
        // 2·256 stacked rows × 64 × 64 reach the threading threshold; 2·128 do not (the quick plan's batch).
        assertTrue(RnodeStudy.timingNote(256).contains("kernel pool"), RnodeStudy.timingNote(256));
        assertTrue(RnodeStudy.timingNote(128).contains("on that thread alone"), RnodeStudy.timingNote(128));
        assertTrue(new RnodeStudy().plan(false).settings().stream().anyMatch(x -> x.contains("21 %")));
    }

    @Test
    void tinyPlanGivesEveryClaimAVerdictAndGatesTheUnconvergedRows() throws Exception {
        Plan plan = RnodeStudy.plan(TINY);
        assertEquals(3 * (2 + 2 + 2 + 2), plan.runs().size(), "sweep, ablation at λ = 0.1, RK4 and Hutchinson at both"
                + " λ, 3 seeds");
        assertEquals(6, plan.runs().stream().filter(Run::timed).count(), "the sweep runs are timed");
        Map<String, Object> r = new StudyRunner(new RnodeStudy(), plan, 2, new PrintStream(new ByteArrayOutputStream()))
                .runAll(new OutputDir(tmp), "test");
        @SuppressWarnings("unchecked")
        Map<String, String> verdicts = (Map<String, String>) r.get("verdicts");
        assertEquals(List.of("R1", "R2", "R3", "R4", "R5", "R6", "R7"), List.copyOf(verdicts.keySet()));
        assertEquals("not tested", verdicts.get("R7"), "no MNIST flow in this plan");
        assertEquals("not tested", verdicts.get("R3"), "no λ = 0.01 in this plan");
        assertTrue(verdicts.get("R1").startsWith("inconclusive: gate failed (convergence: 0 tasks"), verdicts.get("R1"));
        String md = Files.readString(tmp.resolve("report.md"));
        assertTrue(md.contains("training cut to 3 iterations"), "the departure is named");
        // The Hutchinson arms trained and were evaluated with the exact trace; the sweep records its CPU seconds.
        Results rs = new Results(RunFiles.read(tmp, "rnode", plan));
        for (double nll : rs.values("8gaussians", RnodeStudy.hutchinson(0), "nll")) {
            assertTrue(Double.isFinite(nll), "Hutchinson-trained NLL " + nll);
        }
        assertTrue(md.contains("| 8gaussians | hutchinson λ=0 |"), "the Hutchinson arm is in the results table");
        // The arms at λ = 0.1 beyond the sweep ran exactly if R1 selected λ = 0.1 from the sweep.
        boolean selected = "λ=0.1".equals(RnodeClaims.r1Lambda(plan, rs, "8gaussians"));
        assertEquals(selected ? 3 : 0, rs.of("8gaussians", RnodeStudy.kineticOnly(0.1)).size());
        assertEquals(selected ? 3 : 0, rs.of("8gaussians", RnodeStudy.rk4(0.1)).size());
        assertEquals(!selected, md.contains("- not executed: 12 conditional runs"), md);
        for (RunResult run : rs.of("8gaussians", RnodeStudy.sweep(0))) {
            double[] cpu = run.series(RnodeStudy.CHECK_CPU);
            assertTrue(cpu.length == 3 && cpu[0] > 0 && cpu[2] >= cpu[0], "CPU seconds at each check");
        }
        for (String f : new String[] {"results.json", "nfe_training_8gaussians.png", "nll_vs_nfe_8gaussians.png",
                "samples_8gaussians.png", "runs/run-0000.json"}) {
            assertTrue(Files.isRegularFile(tmp.resolve(f)), f);
        }
    }

    /** Builds results for one task with λ ∈ {0, 0.1}: sweep, RK4 and ablation arms, from per-seed scalars. */
    private static Results constructed(double[] nll0, double[] nll1, double[] nfe0, double[] nfe1, double[] rk4Gap0) {
        Plan plan = RnodeStudy.plan(TINY);
        List<RunResult> rs = new ArrayList<>();
        for (Run run : plan.runs()) {
            int s = run.seed() - 10;
            Measurements.Builder m = new Measurements.Builder().put("diverged", 0);
            boolean zero = run.num("lambda") == 0;
            m.put("nll", zero ? nll0[s] : nll1[s]).put("nfe.eval", zero ? nfe0[s] : nfe1[s]);
            if (run.flag("rk4")) {
                m.put("nll.train_solver", (zero ? nll0[s] : nll1[s]) + (zero ? rk4Gap0[s] : 0.001));
            }
            rs.add(new RunResult(run, m.build(), 1, "test", "2026-01-01T00:00:00Z"));
        }
        return new Results(rs);
    }

    /** The npm package's layout (src/digits/d.json, values in [0, 1]) with 6 bar images per digit. */
    static Path mnistFixture(Path root) throws java.io.IOException {
        Path digits = Files.createDirectories(root.resolve("src/digits"));
        org.neuralode4j.data.ImageSet bars = org.neuralode4j.data.SyntheticImages.bars(300, 10, 5);
        for (int d = 0; d < 10; d++) {
            StringBuilder json = new StringBuilder("{\"data\":[");
            int written = 0;
            for (int i = 0; i < bars.size() && written < 6; i++) {
                if (bars.label(i) != d) {
                    continue;
                }
                for (int r = 0; r < 28; r++) {
                    for (int c = 0; c < 28; c++) {
                        json.append(written == 0 && r == 0 && c == 0 ? "" : ",").append(bars.pixel(i, r, c) / 255.0);
                    }
                }
                written++;
            }
            Files.writeString(digits.resolve(d + ".json"), json.append("]}"));
        }
        return root;
    }

    @Test
    void theMnistFlowTrainsInBitsPerDimAndHasItsOwnClaim() throws Exception {
        RnodeStudy.Sizes withImages = new RnodeStudy.Sizes("quick", new String[] {"8gaussians"}, new double[] {0, 0.1},
                2, 32, 1e-2, 3, 10, 50, 1, 20, 20, new RnodeImageFlow.Sizes(50, 10, 4, 10, 16));
        Plan plan = RnodeStudy.plan(withImages);
        List<Run> image = plan.runs().stream().filter(r -> r.task().equals(RnodeImageFlow.TASK)).toList();
        assertEquals(6, image.size(), "λ ∈ {0, 0.01} × 3 seeds");
        assertTrue(image.stream().allMatch(Run::timed));
        assertEquals(List.of("8gaussians"), List.of(RnodeStudy.tasks(plan)), "R1–R6 read the 2-D tasks only");
        assertTrue(!RnodeClaims.convergence(plan, new Results(List.of())).reason().contains("mnist"),
                "the toys' convergence gate does not count the MNIST flow");
        Study study = new RnodeStudy().withImageDirs(null, mnistFixture(tmp.resolve("mnist")));
        Measurements m = study.execute(image.get(3));
        double bpd = m.scalar("bpd");
        // Barely trained on bar images (pixels mostly 0 or 255, logits near ±11.5), the density can sit below the
        // uniform one, i.e. above 8 bits/dim; it must be finite and positive.
        assertTrue(Double.isFinite(bpd) && bpd > 0, "bits/dim " + bpd);
        assertTrue(m.scalar("nfe.eval") > 0 && m.scalar("nfe.train.forward") == 16, "RK4 3/8 in 4 steps: 16");
        assertEquals(0, m.scalar("diverged"));
        // R7 on constructed results: 30 % fewer NFE at equal bits/dim is supported; 0.1 bits/dim worse is not.
        Results rs = imageResults(image, 0.002);
        assertEquals(Verdict.SUPPORTED, RnodeImageFlow.judge(plan, rs).verdict().verdict());
        assertEquals(Verdict.NOT_SUPPORTED, RnodeImageFlow.judge(plan, imageResults(image, 0.1)).verdict().verdict());
        assertEquals(Verdict.NOT_TESTED, RnodeImageFlow.judge(RnodeStudy.plan(TINY), rs).verdict().verdict());
    }

    /** MNIST flow results: λ = 0.01 takes 30 % fewer NFE and {@code bpdCost} more bits/dim than λ = 0, per seed. */
    private static Results imageResults(List<Run> image, double bpdCost) {
        List<RunResult> rs = new ArrayList<>();
        for (Run r : image) {
            boolean reg = r.num("lambda") > 0;
            rs.add(new RunResult(r, new Measurements.Builder().put("bpd", 1.5 + 0.001 * r.seed() + (reg ? bpdCost : 0))
                    .put("nfe.eval", reg ? 70 + r.seed() : 100 + r.seed()).build(), 1, "test", "2026-01-01T00:00:00Z"));
        }
        return new Results(rs);
    }

    /** λ = 0 sweep results with these per-seed NLLs on each task (nothing else is measured). */
    private static Results unregularised(Plan plan, Map<String, double[]> nll) {
        List<RunResult> rs = new ArrayList<>();
        for (Run run : plan.runs()) {
            if (run.arm().equals(RnodeStudy.sweep(0)) && nll.containsKey(run.task())) {
                Measurements m = new Measurements.Builder().put("nll", nll.get(run.task())[run.seed() - 10]).build();
                rs.add(new RunResult(run, m, 1, "test", "2026-01-01T00:00:00Z"));
            }
        }
        return new Results(rs);
    }

    @Test
    void cutTrainingPassesTheConvergenceGateOnlyWhereTheTrueNllIsReachedOnTwoTasks() {
        RnodeStudy.Sizes two = new RnodeStudy.Sizes("quick", new String[] {"8gaussians", "checkerboard", "pinwheel"},
                new double[] {0, 0.1}, 3, 32, 1e-2, 3, 10, 100, 1, 50, 50);
        Plan plan = RnodeStudy.plan(two);
        double g = org.neuralode4j.cnf.ToyDensities.trueNll("8gaussians").orElseThrow();
        double c = Math.log(32);
        Results near = unregularised(plan, Map.of("8gaussians", new double[] {g + 0.01, g + 0.04, g + 0.02},
                "checkerboard", new double[] {c + 0.03, c + 0.02, c + 0.049}, "pinwheel", new double[] {2.5, 2.5, 2.5}));
        assertTrue(RnodeClaims.convergence(plan, near).passed(), RnodeClaims.convergence(plan, near).reason());
        // One checkerboard seed 0.06 nats off: one task converged, and pinwheel's true NLL is unknown.
        Results far = unregularised(plan, Map.of("8gaussians", new double[] {g + 0.01, g + 0.04, g + 0.02},
                "checkerboard", new double[] {c + 0.03, c + 0.06, c + 0.02}, "pinwheel", new double[] {2.5, 2.5, 2.5}));
        var gate = RnodeClaims.convergence(plan, far);
        assertTrue(!gate.passed() && gate.reason().startsWith("convergence: 1 tasks converged")
                && gate.reason().contains("checkerboard 3 iterations, λ = 0 NLL within 0.05 of the true 3.466 in 2 of 3")
                && gate.reason().contains("pinwheel 3 iterations, true NLL unknown"), gate.reason());
    }

    @Test
    void theArmsBeyondTheSweepAreConditionalOnR1sLambda() {
        Plan plan = RnodeStudy.plan(TINY);
        RnodeStudy study = new RnodeStudy();
        ConditionalRuns conditional = new ConditionalRuns(study, plan);
        List<String> arms = conditional.conditional(plan.runs()).stream().map(Run::arm).distinct().toList();
        assertEquals(List.of(RnodeStudy.kineticOnly(0.1), RnodeStudy.jacobianOnly(0.1), RnodeStudy.rk4(0.1),
                RnodeStudy.hutchinson(0.1)), arms);
        Run ablation = plan.runs().stream().filter(r -> r.arm().equals(RnodeStudy.kineticOnly(0.1))).findFirst().orElseThrow();
        assertEquals(6, study.dependsOn(ablation, plan).size(), "the task's whole sweep: 2 λ × 3 seeds");
        Results free = constructed(new double[] {3.0, 3.01, 2.99}, new double[] {3.0, 3.005, 2.995},
                new double[] {60, 62, 58}, new double[] {40, 41, 39}, new double[] {0.01, 0.02, 0.01});
        assertEquals(12, conditional.needed(plan.runs(), free).size(), "λ = 0.1 passes R1: every arm there runs");
        Results costly = constructed(new double[] {3.0, 3.01, 2.99}, new double[] {3.5, 3.51, 3.49},
                new double[] {60, 62, 58}, new double[] {40, 41, 39}, new double[] {0.3, 0.35, 0.28});
        assertEquals(0, conditional.needed(plan.runs(), costly).size());
        assertEquals("8gaussians: premise not met (no λ passes R1)", study.notNeeded(ablation, plan, costly));
    }

    @Test
    void r1NamesTheFreeLambdaAndR4SaysPremiseNotMetWhenUnregularisedRk4DoesNotFail() {
        Plan plan = RnodeStudy.plan(TINY);
        Results free = constructed(new double[] {3.0, 3.01, 2.99}, new double[] {3.0, 3.005, 2.995},
                new double[] {60, 62, 58}, new double[] {40, 41, 39}, new double[] {0.01, 0.02, 0.01});
        assertEquals("λ=0.1", RnodeClaims.r1Lambda(plan, free, "8gaussians"));
        ClaimResult r4 = RnodeClaims.r4(plan, free, new String[] {"8gaussians"});
        assertEquals(Verdict.PREMISE_NOT_MET, r4.verdict().verdict(), r4.evidence().toString());
        // The unregularised RK4 model is 0.3 nats off under dopri5: the premise holds, the regularised gap is small.
        Results fails = constructed(new double[] {3.0, 3.01, 2.99}, new double[] {3.0, 3.005, 2.995},
                new double[] {60, 62, 58}, new double[] {40, 41, 39}, new double[] {0.3, 0.35, 0.28});
        assertEquals(Verdict.SUPPORTED, RnodeClaims.r4(plan, fails, new String[] {"8gaussians"}).verdict().verdict());
        // λ = 0.1 costs 0.5 nats: no λ passes R1, and the rows at R1's λ have no premise.
        Results costly = constructed(new double[] {3.0, 3.01, 2.99}, new double[] {3.5, 3.51, 3.49},
                new double[] {60, 62, 58}, new double[] {40, 41, 39}, new double[] {0.3, 0.35, 0.28});
        assertNull(RnodeClaims.r1Lambda(plan, costly, "8gaussians"));
        assertEquals(Verdict.PREMISE_NOT_MET, RnodeClaims.r5(plan, costly, new String[] {"8gaussians"},
                RnodeClaims.convergence(plan, costly)).verdict().ruleVerdict());
        // NLL too noisy to call: R1 is inconclusive, so R1's λ is undetermined and the rows using it are too.
        Results noisy = constructed(new double[] {3.0, 3.01, 2.99}, new double[] {3.2, 2.8, 3.3},
                new double[] {60, 62, 58}, new double[] {40, 41, 39}, new double[] {0.3, 0.35, 0.28});
        assertNull(RnodeClaims.r1Lambda(plan, noisy, "8gaussians"));
        assertEquals(Verdict.INCONCLUSIVE, RnodeClaims.r5(plan, noisy, new String[] {"8gaussians"},
                RnodeClaims.convergence(plan, noisy)).verdict().ruleVerdict());
    }

    @Test
    void timeToTargetIsTheFirstCheckAtOrBelowIt() {
        Run run = RnodeStudy.plan(TINY).runs().get(0);
        assertEquals(10, run.seed(), "the plan's first seed");
        RunResult r = new RunResult(run, new Measurements.Builder().put("check.nll", new double[] {3.0, 2.5, 2.4})
                .put(Measurements.TIMING + "check", new double[] {1, 2, 3}).build(), 1, "test", "d");
        assertEquals(2, RnodeClaims.toTarget(r, Measurements.TIMING + "check", 2.5));
        assertEquals(Double.POSITIVE_INFINITY, RnodeClaims.toTarget(r, Measurements.TIMING + "check", 2.0));
        assertEquals(List.of(2, 3, 5, 7), java.util.Arrays.stream(RnodeTables.smooth(new double[] {2, 4, 6, 8}, 2))
                .mapToObj(d -> (int) d).toList());
    }
}
