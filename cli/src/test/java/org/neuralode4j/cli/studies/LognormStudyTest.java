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
import org.neuralode4j.data.FashionMnist;
import org.neuralode4j.data.IdxFile;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.data.SyntheticImages;

/**
 * The lognorm study on the shared shape: the plan's design, a tiny plan through the real runner on synthetic
 * Fashion-MNIST-format images (and its parts merged), and the rules of L1–L4 and the tuning rule on constructed
 * results, where each can fail.
 */
class LognormStudyTest {
    static final LognormStudy.Sizes TINY = new LognormStudy.Sizes("quick", new String[] {"fmnist"}, 40, 20, 20, 8, 4,
            1, 1, 20, 1);

    @TempDir
    Path tmp;

    private static void writeSplit(Path d, FashionMnist.Split split, ImageSet set) {
        byte[] px = new byte[set.size() * 784];
        byte[] labels = new byte[set.size()];
        for (int i = 0; i < set.size(); i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    px[i * 784 + r * 28 + c] = (byte) set.pixel(i, r, c);
                }
            }
            labels[i] = (byte) set.label(i);
        }
        IdxFile.write(d.resolve(split.imagesFile()), new int[] {set.size(), 28, 28}, px, false);
        IdxFile.write(d.resolve(split.labelsFile()), new int[] {set.size()}, labels, false);
    }

    @Test
    void planHasTheDesignOfTheIssue() {
        Plan full = LognormStudy.plan(LognormStudy.FULL);
        // 2 data sets × (1 schedule run + 2 regularisers × 3 λ) × 5 seeds
        assertEquals(2 * 7 * 5, full.runs().size());
        assertEquals(5, full.seeds());
        assertTrue(LognormStudy.DELTAS.length >= 3 && java.util.Arrays.stream(LognormStudy.DELTAS).anyMatch(d -> d <= 0));
        assertEquals(5, java.util.Arrays.stream(LognormStudy.EPS).filter(e -> e > 0).count(), "≥ 4 ε in pixel space");
        assertTrue(String.join("\n", full.departures()).contains("full text"), "the paper's missing text is named");
        Plan quick = LognormStudy.plan(LognormStudy.QUICK);
        assertTrue(String.join("\n", quick.departures()).contains("quick mode"));
        assertEquals(List.of("L1", "L2", "L3", "L4"), new LognormStudy().claims(full).stream().map(Claim::id).toList());
    }

    @Test
    void tinyPlanRunsMergesAndGivesEveryClaimAVerdictLine() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("fmnist"));
        writeSplit(d, FashionMnist.Split.TRAIN, SyntheticImages.bars(120, 10, 1));
        writeSplit(d, FashionMnist.Split.TEST, SyntheticImages.bars(60, 10, 2));
        LognormStudy study = new LognormStudy(d, null);
        Plan plan = LognormStudy.plan(TINY);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        StudyRunner runner = new StudyRunner(study, plan, 2, quiet);
        Map<String, Object> whole = runner.runAll(new OutputDir(tmp.resolve("whole")), "test");
        @SuppressWarnings("unchecked")
        Map<String, String> verdicts = (Map<String, String>) whole.get("verdicts");
        assertEquals(List.of("L1", "L2", "L3", "L4"), List.copyOf(verdicts.keySet()));
        for (String v : verdicts.values()) {
            assertTrue(v.startsWith("inconclusive"), v); // one seed
        }
        String md = Files.readString(tmp.resolve("whole/report.md"));
        assertTrue(md.contains("stabilised δ=0") && md.contains("frobenius λ=0.01") && md.contains("tuned λ"), md);
        for (String f : new String[] {"pgd_accuracy_fmnist.png", "mu2_distribution_fmnist.png", "expansion_fmnist.png"}) {
            assertTrue(Files.isRegularFile(tmp.resolve("whole").resolve(f)), f);
        }
        // The measurements are real: STABILISE met its bound on its states, ε = 0 attacks equal clean accuracy.
        Results rs = new Results(RunFiles.read(tmp.resolve("whole"), "lognorm", plan));
        RunResult sched = rs.of("fmnist", LognormStudy.SCHEDULE).get(0);
        for (double delta : LognormStudy.DELTAS) {
            String arm = LognormStudy.stabilised(delta);
            assertTrue(sched.scalar(arm + ".stab.m_after") <= LognormClaims.TAU, arm);
            assertEquals(sched.series(arm + ".attack.pgd")[0], sched.series(arm + ".attack.fgsm")[0], 0.0);
        }
        // Parts merge to the same report.
        int n = plan.runs().size();
        new StudyRunner(study, plan, 1, quiet).runSlice(0, 2, new OutputDir(tmp.resolve("part1")));
        new StudyRunner(study, plan, 2, quiet).runSlice(3, n - 1, new OutputDir(tmp.resolve("part2")));
        Map<String, Object> merged = runner.merge(List.of(tmp.resolve("part1"), tmp.resolve("part2")),
                new OutputDir(tmp.resolve("merged")), "test");
        assertEquals(whole.get("verdicts"), merged.get("verdicts"));
    }

    /** Five seeds of constructed results: every schedule arm and regulariser arm with the given values. */
    private static Results constructed(double[] controlPgd, double[] stabPgd, double[] controlExp, double[] stabExp,
                                       double[] stabAcc, double mAfter) {
        Plan plan = LognormStudy.plan(LognormStudy.FULL);
        List<RunResult> out = new ArrayList<>();
        for (Run run : plan.runs()) {
            int s = run.seed();
            Measurements.Builder m = new Measurements.Builder();
            if (run.arm().equals(LognormStudy.SCHEDULE)) {
                for (String arm : LognormStudy.scheduleArms()) {
                    boolean control = arm.equals(LognormStudy.CONTROL);
                    double[] pgd = new double[LognormStudy.EPS.length];
                    java.util.Arrays.fill(pgd, control ? controlPgd[s] : stabPgd[s]);
                    pgd[0] = 0.85;
                    m.put(arm + ".attack.pgd", pgd).put(arm + ".attack.fgsm", pgd)
                            .put(arm + ".acc.test", control ? 0.85 : stabAcc[s]).put(arm + ".acc.val", 0.85)
                            .put(arm + ".expansion.test.median", control ? controlExp[s] : stabExp[s]);
                    if (!control) {
                        m.put(arm + ".stab.m_after", mAfter).put(arm + ".stab.converged", 1);
                    }
                }
            } else {
                m.put("model.acc.val", run.num("lambda") >= 1 ? 0.70 : 0.848).put("model.acc.test", 0.84);
            }
            out.add(new RunResult(run, m.build(), 1, "test", "d"));
        }
        return new Results(out);
    }

    private static double[] five(double... v) {
        return v;
    }

    @Test
    void rulesCanGoEitherWay() {
        double[] base = five(0.30, 0.32, 0.31, 0.29, 0.30);
        Results better = constructed(base, five(0.40, 0.41, 0.42, 0.40, 0.39), five(1.5, 1.6, 1.55, 1.5, 1.6),
                five(0.9, 0.95, 0.9, 0.92, 0.91), five(0.85, 0.85, 0.86, 0.84, 0.85), -0.002);
        assertEquals(Verdict.SUPPORTED, LognormClaims.l1(better).verdict().verdict());
        assertEquals(Verdict.SUPPORTED, LognormClaims.l2(better).verdict().verdict());
        assertEquals(Verdict.SUPPORTED, LognormClaims.l3(better).verdict().verdict());
        assertEquals(Verdict.SUPPORTED, LognormClaims.l4(better).verdict().verdict());

        // Worse robustness, more expansion, a missed bound and a large accuracy loss: every rule says no.
        Results worse = constructed(base, five(0.20, 0.21, 0.19, 0.20, 0.22), five(1.5, 1.6, 1.55, 1.5, 1.6),
                five(2.5, 2.6, 2.4, 2.5, 2.7), five(0.80, 0.80, 0.81, 0.79, 0.80), 0.05);
        assertEquals(Verdict.NOT_SUPPORTED, LognormClaims.l1(worse).verdict().verdict());
        assertEquals(Verdict.NOT_SUPPORTED, LognormClaims.l2(worse).verdict().verdict());
        assertEquals(Verdict.NOT_SUPPORTED, LognormClaims.l3(worse).verdict().verdict());
        assertEquals(Verdict.NOT_SUPPORTED, LognormClaims.l4(worse).verdict().verdict());

        // A control that did not train fails the baseline gate: every row becomes inconclusive.
        Results collapsed = constructed(base, base, base, base, five(0.1, 0.1, 0.1, 0.1, 0.1), 0);
        assertTrue(LognormClaims.l4(collapsed).verdict().verdict() != Verdict.SUPPORTED);

        // The tuning rule reads validation accuracy only: λ = 1 is 0.15 below the control, λ = 0.1 within 0.01.
        assertEquals(0.1, LognormClaims.tuned(better, "fmnist", "frobenius"), 0.0);
    }
}
