package org.neuralode4j.cli.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.analysis.verdict.GatedVerdict;
import org.neuralode4j.analysis.verdict.Verdict;
import org.neuralode4j.cli.report.OutputDir;

/**
 * Conditional runs (Study#dependsOn): a study whose follow-up arms run only at the level its screening arms select.
 * Executed whole, in parts (with and without --given) and merged, the same runs execute and the same report results;
 * a merge may lack only the runs the selection did not need.
 */
class ConditionalRunsTest {
    @TempDir
    Path tmp;

    /** Screening at levels 1, 2, 3 (x = level², so level 2 scores 4); a follow-up at each level, needed where x = 4. */
    static final class Screen implements Study {
        final Set<Integer> executed = new ConcurrentSkipListSet<>();

        @Override
        public String name() {
            return "screen";
        }

        @Override
        public String title() {
            return "Screen";
        }

        @Override
        public Plan plan(boolean quick) {
            Plan.Builder b = new Plan.Builder();
            for (int level = 1; level <= 3; level++) {
                b.add("t", "screen " + level, 3, Plan.config("family", "screen", "level", level), false);
            }
            for (int level = 1; level <= 3; level++) {
                b.add("t", "follow-up " + level, 3, Plan.config("family", "follow", "level", level), level == 2);
            }
            return new Plan("quick", 3, b.runs(), List.of(), List.of());
        }

        @Override
        public List<Claim> claims(Plan plan) {
            return List.of(new Claim("S1", "The follow-up at the selected level scores 4.", "x", "rule", false,
                    rs -> new ClaimResult(GatedVerdict.of(Results.mean(rs.values("t", "follow-up 2", "x")) == 4
                            ? Verdict.SUPPORTED : Verdict.NOT_SUPPORTED, List.of()), List.of())));
        }

        @Override
        public List<Run> dependsOn(Run run, Plan plan) {
            return run.text("family").equals("follow")
                    ? plan.runs().stream().filter(r -> r.text("family").equals("screen")).toList() : List.of();
        }

        /** The selection: the level whose screening mean is 4. */
        @Override
        public String notNeeded(Run run, Plan plan, Results dependencies) {
            double x = Results.mean(dependencies.values("t", "screen " + run.integer("level"), "x"));
            return x == 4 ? null : "level " + run.integer("level") + " scored " + x;
        }

        @Override
        public Measurements execute(Run run) {
            executed.add(run.index());
            double level = run.num("level");
            return new Measurements.Builder().put("x", level * level).build();
        }

        @Override
        public String tables(Plan plan, Results results) {
            return "";
        }

        @Override
        public void plots(OutputDir out, Plan plan, Results results) {}
    }

    private static StudyRunner runner(Study s) {
        return new StudyRunner(s, s.plan(true), 2, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void onlyTheSelectedFollowUpRunsAndTheReportSaysWhichWereLeftOut() throws Exception {
        Screen s = new Screen();
        Map<String, Object> r = runner(s).runAll(new OutputDir(tmp.resolve("whole")), "study screen");
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14), s.executed, "screening, then follow-up 2 only");
        assertEquals(Map.of("S1", "supported"), r.get("verdicts"));
        String md = Files.readString(tmp.resolve("whole/report.md"), StandardCharsets.UTF_8);
        assertTrue(md.contains("- not executed: 6 conditional runs (9..11, 15..17)"), md);
        String json = Files.readString(tmp.resolve("whole/results.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("level 1 scored 1"), json);
    }

    @Test
    void partsNeedTheirDependenciesGivenAndMergeToTheSameVerdicts() throws Exception {
        Screen s = new Screen();
        StudyRunner runner = runner(s);
        OutputDir a = new OutputDir(tmp.resolve("a"));
        OutputDir b = new OutputDir(tmp.resolve("b"));
        NeuralOdeException e = assertThrows(NeuralOdeException.class, () -> runner.runSlice(9, 17, b));
        assertEquals("runs 9..17 are executed only if the study's pre-registered selection needs them, which reads runs"
                + " 0..8: include those in --run-only, or pass the folders holding their results with --given DIR...",
                e.getMessage());
        assertTrue(s.executed.isEmpty(), "nothing ran before the check");
        runner.runSlice(0, 8, a);
        runner.runSlice(9, 17, b, List.of(a.dir()));
        assertEquals(new TreeSet<>(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14)), new TreeSet<>(s.executed));
        Map<String, Object> merged = runner.merge(List.of(a.dir(), b.dir()), new OutputDir(tmp.resolve("m")), "m");
        assertEquals(Map.of("S1", "supported"), merged.get("verdicts"));
        // Without the second part the needed follow-up runs are missing; the unneeded ones never are.
        NeuralOdeException missing = assertThrows(NeuralOdeException.class,
                () -> runner.merge(List.of(a.dir()), new OutputDir(tmp.resolve("m2")), "m"));
        assertTrue(missing.getMessage().contains("missing 12..14 "), missing.getMessage());
        assertFalse(Files.exists(tmp.resolve("m2/report.md")));
    }

    /** A part that stopped is continued by giving its folder: the runs it holds are not executed again. */
    @Test
    void givenRunsAreNotRerunSoAStoppedPartContinues() throws Exception {
        Screen s = new Screen();
        StudyRunner runner = runner(s);
        OutputDir a = new OutputDir(tmp.resolve("a"));
        OutputDir b = new OutputDir(tmp.resolve("b"));
        runner.runSlice(0, 4, a);
        s.executed.clear();
        runner.runSlice(0, 17, b, List.of(a.dir()));
        assertEquals(new TreeSet<>(Set.of(5, 6, 7, 8, 12, 13, 14)), new TreeSet<>(s.executed),
                "only the screening runs a lacks, then the selected follow-up");
        Map<String, Object> merged = runner.merge(List.of(a.dir(), b.dir()), new OutputDir(tmp.resolve("m")), "m");
        assertEquals(Map.of("S1", "supported"), merged.get("verdicts"), "each run once: the merge accepts the parts");
    }
}
