package org.neuralode4j.cli.studies;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.cli.report.OutputDir;

/** The conditioning study end to end on a tiny plan: every claim gets a verdict line, and the files are written. */
class ConditioningStudyTest {
    @TempDir
    Path tmp;

    @Test
    void tinyStudyWritesAVerdictForEveryClaim() throws Exception {
        ConditioningStudy.Plan tiny = new ConditioningStudy.Plan(64, 64, 32, 1, 1, 3, new double[] {0.1}, new double[] {0.2},
                8, 4, true);
        Map<String, Object> r = ConditioningStudy.run(tiny, new OutputDir(tmp), 2, new PrintStream(new ByteArrayOutputStream()));
        @SuppressWarnings("unchecked")
        Map<String, String> verdicts = (Map<String, String>) r.get("verdicts");
        assertEquals(java.util.List.of("J1", "J2", "J3", "J4", "J5", "J6"), java.util.List.copyOf(verdicts.keySet()));
        String md = Files.readString(tmp.resolve("report.md"));
        for (String id : verdicts.keySet()) {
            assertTrue(md.contains("### " + id + ":") , id);
        }
        assertEquals(6, md.split("\\*\\*Verdict: ", -1).length - 1, md);
        assertTrue(Files.isRegularFile(tmp.resolve("results.json")));
        assertTrue(Files.isRegularFile(tmp.resolve("nfe_vs_lambda.png")));
        for (String task : new String[] {"disk-annulus", "moons", "2spirals"}) {
            assertTrue(Files.isRegularFile(tmp.resolve("kappa_cdf_" + task + ".png")), task);
            assertTrue(Files.isRegularFile(tmp.resolve("robust_accuracy_" + task + ".png")), task);
        }
    }

    @Test
    void empiricalCdfStepsThroughSortedValues() {
        double[] values = {2.98, 1.04, 2, Double.POSITIVE_INFINITY};
        double[] grid = ConditioningStudy.commonGrid(java.util.List.of(values), 5);
        assertArrayEquals(new double[] {1, 1.5, 2, 2.5, 3}, grid, 1e-15);
        double[][] cdf = ConditioningStudy.empiricalCdf(values, grid);
        assertArrayEquals(grid, cdf[0], 0);
        // +∞ (a singular Jacobian) is never ≤ a grid point: the curve stops at 3/4
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.5, 0.75}, cdf[1], 1e-15);
    }

    @Test
    void robustCurveStartsAtCleanAccuracyAndAveragesSeeds() {
        java.util.List<ConditioningStudy.RunResult> rs = java.util.List.of(
                run(0, 1.0, new double[] {0.8, 0.5}), run(1, 0.9, new double[] {0.6, 0.1}));
        double[][] c = ConditioningStudy.robustCurve(rs, "moons", "none", new double[] {0.1, 0.2});
        assertArrayEquals(new double[] {0, 0.1, 0.2}, c[0], 0);
        assertArrayEquals(new double[] {0.95, 0.7, 0.3}, c[1], 1e-12);
    }

    private static ConditioningStudy.RunResult run(int seed, double acc, double[] pgd) {
        return new ConditioningStudy.RunResult("moons", "none", seed, acc, acc, 26, 26, 1, 1, pgd, pgd, 0.1, 1, 1,
                new double[] {0.5});
    }
}
