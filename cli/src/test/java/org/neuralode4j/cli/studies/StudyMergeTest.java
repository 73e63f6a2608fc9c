package org.neuralode4j.cli.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.report.OutputDir;

/**
 * Acceptance 2 of the studies issue: {@code --plan}, {@code --run-only} slices and {@code --merge} give the same
 * report as one run of the whole plan (timings aside), on a shrunken copy of the conditioning quick plan; and a
 * merge that misses or repeats a run is refused.
 */
class StudyMergeTest {
    /**
     * Two seeds keep the test short; the comparison still covers every measurement, since the report's tables print
     * each one per arm and per seed.
     */
    static final ConditioningImageTask.Sizes TINY_IMAGES = new ConditioningImageTask.Sizes(24, 12, 12, 1, 4);
    static final ConditioningStudy.Sizes TINY = new ConditioningStudy.Sizes("quick", 48, 48, 24, 1, 1, 2, 0, 6, 4,
            TINY_IMAGES);

    @TempDir
    Path tmp;

    @Test
    void partsMergeToTheSameReportAsOneRun() throws Exception {
        ConditioningStudy study = new ConditioningStudy(fixtures());
        Plan plan = ConditioningStudy.plan(TINY);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        StudyRunner runner = new StudyRunner(study, plan, 2, quiet);
        Map<String, Object> whole = runner.runAll(new OutputDir(tmp.resolve("whole")), "test");

        runner.writePlan(new OutputDir(tmp.resolve("plan")));
        @SuppressWarnings("unchecked")
        List<Object> planned = (List<Object>) OutputDir.readJson(tmp.resolve("plan/plan.json"), Map.class).get("runs");
        assertEquals(plan.runs().size(), planned.size());
        int n = plan.runs().size();
        int cut = n / 3;
        new StudyRunner(study, plan, 1, quiet).runSlice(0, cut, new OutputDir(tmp.resolve("part1")));
        new StudyRunner(study, plan, 2, quiet).runSlice(cut + 1, n - 1, new OutputDir(tmp.resolve("part2")));
        Map<String, Object> merged = runner.merge(List.of(tmp.resolve("part1"), tmp.resolve("part2")),
                new OutputDir(tmp.resolve("merged")), "test");

        assertEquals(whole.get("verdicts"), merged.get("verdicts"));
        assertEquals(withoutTiming(Files.readString(tmp.resolve("whole/report.md"))),
                withoutTiming(Files.readString(tmp.resolve("merged/report.md"))));
        assertTrue(Files.readString(tmp.resolve("merged/report.md")).contains("parts merged: 2"));
        for (String claim : List.of("### J1:", "### J2:", "### J3:", "### J4:", "### J5:", "### J6:")) {
            assertTrue(((String) merged.get("markdown")).contains(claim), claim);
        }

        NeuralOdeException missing = assertThrows(NeuralOdeException.class, () -> runner.merge(
                List.of(tmp.resolve("part1")), new OutputDir(tmp.resolve("bad")), "test"));
        assertTrue(missing.getMessage().contains("missing " + (cut + 1) + ".." + (n - 1)), missing.getMessage());
        NeuralOdeException twice = assertThrows(NeuralOdeException.class, () -> runner.merge(
                List.of(tmp.resolve("part1"), tmp.resolve("whole")), new OutputDir(tmp.resolve("bad")), "test"));
        assertTrue(twice.getMessage().contains("merge each run once"), twice.getMessage());
        assertThrows(NeuralOdeException.class, () -> runner.runSlice(n - 1, n, new OutputDir(tmp.resolve("bad"))));
    }

    @Test
    void aResultFromAnotherPlanIsRefused() throws Exception {
        ConditioningStudy study = new ConditioningStudy(fixtures());
        Plan plan = ConditioningStudy.plan(TINY);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        new StudyRunner(study, plan, 1, quiet).runSlice(0, 0, new OutputDir(tmp.resolve("p")));
        Plan other = ConditioningStudy.plan(new ConditioningStudy.Sizes("quick", 48, 48, 24, 2, 1, 2, 0, 6, 4,
                TINY_IMAGES));
        NeuralOdeException e = assertThrows(NeuralOdeException.class, () -> new StudyRunner(study, other, 1, quiet)
                .merge(List.of(tmp.resolve("p")), new OutputDir(tmp.resolve("m")), "test"));
        assertTrue(e.getMessage().contains("was made by a different plan"), e.getMessage());
    }

    /** Fashion-MNIST-shaped files of the project's bar images, for the image pair's runs. */
    private Path fixtures() throws java.io.IOException {
        return org.neuralode4j.cli.FmnistFixtures.write(tmp.resolve("fmnist"),
                org.neuralode4j.data.SyntheticImages.bars(200, 10, 1), org.neuralode4j.data.SyntheticImages.bars(100, 10, 2));
    }

    /** The report between the verdict table and the timing section: everything that does not depend on the clock. */
    static String withoutTiming(String md) {
        int from = md.indexOf(StudyReport.VERDICTS);
        int to = md.indexOf(StudyReport.TIMING);
        assertTrue(from > 0 && to > from, "report sections");
        return md.substring(from, to);
    }
}
