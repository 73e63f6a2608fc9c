package org.neuralode4j.cli.studies;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.spark.study.StudySource;

/**
 * Test plans for the Spark runner: the conditioning study shrunk as in the cli's StudyMergeTest (every claim, table
 * and measurement, two seeds), and the same with one run that always throws. In this package because the plan sizes
 * are package-private.
 */
public final class TinyStudies {
    static final ConditioningStudy.Sizes TINY = new ConditioningStudy.Sizes("quick", 48, 48, 24, 1, 1, 2, 0, 6, 4,
            new ConditioningImageTask.Sizes(24, 12, 12, 1, 4));

    private static java.nio.file.Path fixtures;

    /**
     * A Fashion-MNIST directory of the project's bar images for the image pair's runs, made once per JVM: an
     * executor in another JVM makes its own, with the same seeded content, so every JVM reads the same data.
     */
    static synchronized java.nio.file.Path fixtures() {
        if (fixtures == null) {
            try {
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tiny-fmnist");
                org.neuralode4j.data.FashionMnist.write(dir, org.neuralode4j.data.FashionMnist.Split.TRAIN,
                        org.neuralode4j.data.SyntheticImages.bars(200, 10, 1), true);
                org.neuralode4j.data.FashionMnist.write(dir, org.neuralode4j.data.FashionMnist.Split.TEST,
                        org.neuralode4j.data.SyntheticImages.bars(100, 10, 2), false);
                fixtures = dir;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return fixtures;
    }

    /** Attempts per failing run index, counted in whichever JVM executed them. */
    public static final ConcurrentHashMap<Integer, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    private TinyStudies() {}

    public static Study conditioning() {
        return new ConditioningStudy(fixtures());
    }

    public static Plan tinyPlan() {
        return ConditioningStudy.plan(TINY);
    }

    private static java.util.Map<String, Object> local;

    /**
     * The local runner's report on the tiny plan (2 threads), made once per test JVM and shared by the tests that
     * compare a Spark run with it: results.json's content, with the markdown under "markdown".
     */
    public static synchronized java.util.Map<String, Object> localReport() {
        if (local == null) {
            try {
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tiny-local");
                local = runLocally(new OutputDir(dir), 2);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return local;
    }

    /** The local runner on the tiny plan: its report, as results.json's content. */
    public static java.util.Map<String, Object> runLocally(OutputDir out, int threads) {
        return new StudyRunner(conditioning(), tinyPlan(), threads, new java.io.PrintStream(
                java.io.OutputStream.nullOutputStream())).runAll(out, "study conditioning (tiny test plan)");
    }

    /** The report between the verdict table and the timing section (what must not depend on the runner). */
    public static String withoutTiming(String md) {
        return md.substring(md.indexOf(StudyReport.VERDICTS), md.indexOf(StudyReport.TIMING));
    }

    /** The tiny conditioning plan. */
    public record Tiny() implements StudySource {
        @Override
        public Study study() {
            return conditioning();
        }

        @Override
        public Plan plan() {
            return tinyPlan();
        }

        @Override
        public String command() {
            return "study conditioning (tiny test plan)";
        }
    }

    /** The tiny plan, but run {@code failing} throws on every attempt. */
    public record Failing(int failing) implements StudySource {
        @Override
        public Study study() {
            ConditioningStudy real = new ConditioningStudy(fixtures());
            return new Study() {
                public String name() { return real.name(); }
                public String title() { return real.title(); }
                public Plan plan(boolean quick) { return tinyPlan(); }
                public java.util.List<Claim> claims(Plan p) { return real.claims(p); }
                public String tables(Plan p, Results r) { return real.tables(p, r); }
                public void plots(OutputDir out, Plan p, Results r) { real.plots(out, p, r); }

                public Measurements execute(Run run) {
                    if (run.index() == failing) {
                        ATTEMPTS.computeIfAbsent(run.index(), k -> new AtomicInteger()).incrementAndGet();
                        throw new NeuralOdeException("injected failure of run " + run.index());
                    }
                    return real.execute(run);
                }
            };
        }

        @Override
        public Plan plan() {
            return tinyPlan();
        }

        @Override
        public String command() {
            return "study conditioning (tiny test plan, one failing run)";
        }
    }

    /**
     * Screening at levels 1–3 (x = level², 3 seeds each) and a follow-up at each level, conditional: needed only
     * where the screening mean is 4 (level 2). Nothing to compute, so it tests the runner's order and selection only.
     */
    public record Screening() implements StudySource {
        @Override
        public Study study() {
            return new Study() {
                public String name() { return "screen"; }
                public String title() { return "Screen"; }
                public Plan plan(boolean quick) { return Screening.this.plan(); }
                public java.util.List<Claim> claims(Plan p) {
                    return java.util.List.of(new Claim("S1", "The selected follow-up scores 4.", "x", "rule", false,
                            rs -> new ClaimResult(org.neuralode4j.analysis.verdict.GatedVerdict.of(
                                    Results.mean(rs.values("t", "follow-up 2", "x")) == 4
                                            ? org.neuralode4j.analysis.verdict.Verdict.SUPPORTED
                                            : org.neuralode4j.analysis.verdict.Verdict.NOT_SUPPORTED,
                                    java.util.List.of()), java.util.List.of())));
                }
                public java.util.List<Run> dependsOn(Run run, Plan p) {
                    return run.text("family").equals("follow")
                            ? p.runs().stream().filter(r -> r.text("family").equals("screen")).toList()
                            : java.util.List.of();
                }
                public String notNeeded(Run run, Plan p, Results deps) {
                    double x = Results.mean(deps.values("t", "screen " + run.integer("level"), "x"));
                    return x == 4 ? null : "level " + run.integer("level") + " scored " + x;
                }
                public Measurements execute(Run run) {
                    return new Measurements.Builder().put("x", run.num("level") * run.num("level")).build();
                }
                public String tables(Plan p, Results r) { return ""; }
                public void plots(OutputDir out, Plan p, Results r) {}
            };
        }

        @Override
        public Plan plan() {
            Plan.Builder b = new Plan.Builder();
            for (int level = 1; level <= 3; level++) {
                b.add("t", "screen " + level, 3, Plan.config("family", "screen", "level", level), false);
            }
            for (int level = 1; level <= 3; level++) {
                b.add("t", "follow-up " + level, 3, Plan.config("family", "follow", "level", level), level == 2);
            }
            return new Plan("quick", 3, b.runs(), java.util.List.of(), java.util.List.of());
        }

        @Override
        public String command() {
            return "study screen (test plan with conditional runs)";
        }
    }
}
