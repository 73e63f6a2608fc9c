package org.neuralode4j.cli.studies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.analysis.verdict.PairedComparison;
import org.neuralode4j.cli.report.OutputDir;

/** The RNODE study end to end on a tiny plan, and the helpers its verdicts rest on. */
class RnodeStudyTest {
    @TempDir
    Path tmp;

    @Test
    void tinyStudyWritesAVerdictForEveryClaim() throws Exception {
        RnodeStudy.Plan tiny = new RnodeStudy.Plan(new String[] {"8gaussians"}, new double[] {0, 0.1}, 3, 32, 1e-2, 3, 100, 1,
                50, 50, true);
        Map<String, Object> r = RnodeStudy.run(tiny, new OutputDir(tmp), 2, new PrintStream(new ByteArrayOutputStream()));
        @SuppressWarnings("unchecked")
        Map<String, String> verdicts = (Map<String, String>) r.get("verdicts");
        assertEquals(List.of("R1", "R2", "R3", "R4", "R5", "R6"), List.copyOf(verdicts.keySet()));
        assertEquals("NOT TESTED", verdicts.get("R3").toUpperCase().replace('_', ' '), "no λ = 0.01 in this plan");
        String md = Files.readString(tmp.resolve("report.md"));
        for (String id : verdicts.keySet()) {
            assertTrue(md.contains("### " + id + ":"), id);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs = (List<Map<String, Object>>) r.get("runs");
        assertEquals(3 * (2 + 4), runs.size(), "2 sweep arms and 4 phase-2 arms, 3 seeds");
        for (String f : new String[] {"results.json", "nfe_training_8gaussians.png", "nll_vs_nfe_8gaussians.png",
                "samples_8gaussians.png"}) {
            assertTrue(Files.isRegularFile(tmp.resolve(f)), f);
        }
    }

    @Test
    void timeToReachIsTheFirstCheckAtOrBelowTheTarget() {
        RnodeStudy.RunResult r = result("λ=0", 0, new double[] {1, 2, 3}, new double[] {3.0, 2.5, 2.4}, 3.0);
        assertEquals(2, RnodeReport.timeToReach(r, 2.5));
        assertEquals(Double.POSITIVE_INFINITY, RnodeReport.timeToReach(r, 2.0));
    }

    @Test
    void pairsDropSeedsWhereEitherRunHasNoUsableValue() {
        List<RnodeStudy.RunResult> rs = List.of(
                result("λ=0", 0, new double[0], new double[0], 3.0), result("λ=0.1", 0, new double[0], new double[0], 2.9),
                result("λ=0", 1, new double[0], new double[0], Double.NaN), result("λ=0.1", 1, new double[0], new double[0], 2.8),
                result("λ=0", 2, new double[0], new double[0], 3.2), result("λ=0.1", 2, new double[0], new double[0], 3.1));
        PairedComparison pc = RnodeReport.pair(rs, "8gaussians", "λ=0", "λ=0.1", RnodeStudy.RunResult::nll,
                org.neuralode4j.analysis.verdict.Scale.LINEAR);
        assertArrayEquals(new double[] {3.0, 3.2}, pc.baseline(), 0);
        assertArrayEquals(new double[] {2.9, 3.1}, pc.treatment(), 0);
        assertNull(RnodeReport.pair(rs, "8gaussians", "λ=0", "kinetic only", RnodeStudy.RunResult::nll,
                org.neuralode4j.analysis.verdict.Scale.LINEAR));
    }

    @Test
    void smoothingIsATrailingMovingAverage() {
        assertArrayEquals(new double[] {2, 3, 5, 7}, RnodeStudy.smooth(new double[] {2, 4, 6, 8}, 2), 1e-12);
    }

    private static RnodeStudy.RunResult result(String arm, int seed, double[] times, double[] nll, double finalNll) {
        return new RnodeStudy.RunResult("8gaussians", arm, seed, finalNll, 0.01, Double.NaN, 26, 14, 26, 40, 1.2, 3, 0.1,
                0.2, 0.3, times, nll, new double[] {20, 26}, new double[0][], !Double.isFinite(finalNll), "");
    }
}
