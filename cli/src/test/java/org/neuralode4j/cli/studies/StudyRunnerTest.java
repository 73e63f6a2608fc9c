package org.neuralode4j.cli.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.analysis.verdict.GatedVerdict;
import org.neuralode4j.analysis.verdict.Verdict;
import org.neuralode4j.cli.report.OutputDir;

/**
 * The runner's policies on a study written in this file alone (the shape's promise: a study is one class): untimed
 * runs share the threads, a timed run never has another run beside it, and the report carries the plan's
 * departures, every claim with its rule and verdict, and the timing section.
 */
class StudyRunnerTest {
    @TempDir
    Path tmp;

    /** A study whose runs sleep briefly and record how many runs were active when they started. */
    static final class Probe implements Study {
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger maxUntimed = new AtomicInteger();
        final AtomicInteger maxBesideTimed = new AtomicInteger();
        /** The first two untimed runs wait for each other (up to 5 s), so overlap does not depend on the load. */
        final java.util.concurrent.CyclicBarrier pair = new java.util.concurrent.CyclicBarrier(2);

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public String title() {
            return "Probe";
        }

        @Override
        public Plan plan(boolean quick) {
            Plan.Builder b = new Plan.Builder().add("t", "untimed", 6, Plan.config("x", 1), false)
                    .add("t", "timed", 3, Plan.config("x", 2), true);
            return new Plan("quick", 3, b.runs(), List.of("setting line"), List.of("departure line"));
        }

        @Override
        public List<Claim> claims(Plan plan) {
            return List.of(new Claim("P1", "Timed runs take longer.", "x", "rule text", true,
                    rs -> new ClaimResult(GatedVerdict.of(Results.mean(rs.values("t", "timed", "x"))
                            > Results.mean(rs.values("t", "untimed", "x")) ? Verdict.SUPPORTED : Verdict.NOT_SUPPORTED,
                            List.of()), List.of("evidence line"))));
        }

        @Override
        public Measurements execute(Run run) {
            int now = active.incrementAndGet();
            try {
                if (!run.timed() && run.seed() < 2) {
                    try {
                        pair.await(5, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.BrokenBarrierException e) {
                        // Run one after the other: maxUntimed stays 1 and the test says so.
                    }
                    now = active.get();
                }
                (run.timed() ? maxBesideTimed : maxUntimed).accumulateAndGet(now, Math::max);
                Thread.sleep(60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                active.decrementAndGet();
            }
            return new Measurements.Builder().put("x", run.num("x")).put(Measurements.TIMING + "x", 0.06).build();
        }

        @Override
        public String tables(Plan plan, Results results) {
            return "## Probe table\n";
        }

        @Override
        public void plots(OutputDir out, Plan plan, Results results) {}
    }

    @Test
    void timedRunsRunAloneAndTheReportCarriesClaimsAndDepartures() throws Exception {
        Probe probe = new Probe();
        Plan plan = probe.plan(true);
        Map<String, Object> r = new StudyRunner(probe, plan, 2, new PrintStream(new ByteArrayOutputStream()))
                .runAll(new OutputDir(tmp), "study probe --quick");
        assertEquals(2, probe.maxUntimed.get(), "untimed runs share the two threads");
        assertEquals(1, probe.maxBesideTimed.get(), "a timed run has no other run beside it");
        assertEquals(Map.of("P1", "supported"), r.get("verdicts"));
        String md = Files.readString(tmp.resolve("report.md"));
        for (String s : new String[] {"- departure line", "- setting line", "| P1 (timed) | supported |",
                "- rule (fixed before the data): rule text", "- evidence line", "## Probe table", "## Timing",
                "9 runs (3 timed: " + StudyReport.TIMED_GUARANTEE + ")", "CPU-hours",
                "The machine's 1-minute load average at the start and end of the timed runs: "}) {
            assertTrue(md.contains(s), s + " in:\n" + md);
        }
        assertEquals(9, Files.list(tmp.resolve("runs")).count());
    }
}
