package org.neuralode4j.cli.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.cli.FmnistFixtures;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.data.SyntheticImages;
import org.neuralode4j.tensor.Tensor;

/** The conditioning study's plans and the measurement summaries its claims read. */
class ConditioningStudyTest {
    @Test
    void plansCoverEveryTaskArmAndSeed() {
        Plan full = new ConditioningStudy().plan(false);
        assertEquals(4 * 7 * 5, full.runs().size(), "4 tasks × 7 arms × 5 seeds (claims.md §0.1: S ≥ 5)");
        assertEquals(5, full.seeds());
        assertEquals(List.of(105, 106, 107, 108, 109), full.runs().stream().map(Run::seed).distinct().sorted().toList(),
                "fresh seeds: the earlier reports used 0–2 and 100–104");
        assertTrue(full.departures().get(0).startsWith("seeds 105–109"));
        assertFalse(full.runs().stream().anyMatch(Run::timed), "no conditioning claim reads wall time");
        Run spiral = full.runs().stream().filter(r -> r.task().equals("2spirals")).findFirst().orElseThrow();
        assertEquals(100, spiral.integer("epochs"));
        assertEquals(1e-3, spiral.num("lr"), "2spirals collapsed at claims.md's 1e-2 (the departure says so)");
        assertEquals(1e-2, full.runs().get(0).num("lr"), "the other 2-D tasks keep claims.md's 1e-2");
        assertTrue(full.departures().stream().anyMatch(d -> d.startsWith("2spirals trains with Adam lr 0.001")));
        Plan quick = new ConditioningStudy().plan(true);
        assertEquals(4 * 7 * 2, quick.runs().size());
        // The image pair comes last, so the 2-D runs keep the indices they had before it joined (parts run
        // earlier still merge).
        assertEquals("2spirals", full.runs().get(104).task());
        Run pair = full.runs().get(105);
        assertEquals("fmnist-pair", pair.task());
        assertEquals(List.of(12000, 2000, 128, 5), List.of(pair.integer("train"), pair.integer("test"),
                pair.integer("batch"), pair.integer("epochs")), "claims.md §1: all of the pair, batch 128, 5 epochs");
        assertTrue(full.departures().stream().noneMatch(d -> d.contains("is not run")));
        assertTrue(quick.departures().stream().anyMatch(d -> d.startsWith("quick mode")));
        assertEquals(List.of("none", "frobenius λ=0.01", "frobenius λ=0.1", "frobenius λ=1", "condition λ=0.01",
                "condition λ=0.1", "condition λ=1"), ConditioningStudy.arms());
    }

    @Test
    void thePerSeedTableNamesTheRunsOwnSeedsInOrder() {
        List<RunResult> rs = new java.util.ArrayList<>();
        int i = 0;
        for (int seed : new int[] {109, 105, 107}) {
            rs.add(new RunResult(new Run(i++, "moons", "none", seed, Plan.config("lambda", 0.0), false),
                    new Measurements.Builder().put("acc.test", 0.9).build(), 1, "test", "d"));
        }
        String heading = Markdown.perSeedHeading(new Results(rs));
        assertTrue(heading.contains("(seeds 105, 107, 109 in that order"), heading);
    }

    @Test
    void theImagePairRunMeasuresWhatTheClaimsReadOnFixtureImages(@TempDir Path tmp) throws Exception {
        // Bars of 10 classes stand in for Fashion-MNIST: classes 0 and 6 form the pair.
        Path dir = FmnistFixtures.write(tmp.resolve("fmnist"), SyntheticImages.bars(200, 10, 1),
                SyntheticImages.bars(100, 10, 2));
        ConditioningStudy study = new ConditioningStudy(dir);
        Run run = new Run(0, "fmnist-pair", "condition λ=0.1", 3, Plan.config("family", "condition", "lambda", 0.1,
                "train", 30, "test", 16, "batch", 10, "epochs", 1, "analysis", 8), false);
        study.checkInputs(List.of(run));
        Measurements m = study.execute(run);
        for (String k : new String[] {"acc.test", "acc.train", "nfe.test", "nfe.train", "kappa.log10.median",
                "kappa.log10.median.t1", "acc.clean.analysis", "margin.n", "margin.censored"}) {
            assertTrue(Double.isFinite(m.scalar(k)), k + " = " + m.scalar(k));
        }
        assertTrue(m.scalar("acc.test") >= 0 && m.scalar("acc.test") <= 1);
        assertTrue(m.scalar("kappa.log10.median") >= 0, "κ ≥ 1");
        assertEquals(ConditioningImageTask.EPS.length, m.series("attack.pgd").length);
        assertEquals(ConditioningImageTask.EPS.length, m.series("attack.fgsm").length);
        double clean = m.scalar("acc.clean.analysis");
        for (double a : m.series("attack.pgd")) {
            assertTrue(a <= clean + 1e-12, "an attack never raises accuracy above clean");
        }
        assertEquals(ConditioningStudy.GRID, m.series("kappa.log10.profile").length);
    }

    @Test
    void thePairKeepsTwoClassesAndRelabelsShirtAsOne() {
        ImageSet bars = SyntheticImages.bars(100, 10, 4);
        ImageSet pair = ConditioningImageTask.pair(bars);
        assertTrue(pair.size() > 0);
        for (int i = 0; i < pair.size(); i++) {
            assertTrue(pair.label(i) == 0 || pair.label(i) == 6);
        }
        int[] binary = ConditioningImageTask.binary(pair).labels();
        for (int i = 0; i < binary.length; i++) {
            assertEquals(pair.label(i) == 6 ? 1 : 0, binary[i]);
        }
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
