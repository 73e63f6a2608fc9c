package org.neuralode4j.cli.studies;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.report.OutputDir;

/**
 * Executes a study's plan, whole or in parts, and merges parts into the report. It owns the threads (untimed runs
 * run {@code threads} at a time, each on one thread), the timing (runs a claim times are executed afterwards, one
 * at a time with nothing else running), the per-run result files, and the report.
 */
public final class StudyRunner {
    private final Study study;
    private final Plan plan;
    private final int threads;
    private final PrintStream log;

    public StudyRunner(Study study, Plan plan, int threads, PrintStream log) {
        if (threads < 1) {
            throw new NeuralOdeException("--threads must be >= 1 (got " + threads + ")");
        }
        this.study = study;
        this.plan = plan;
        this.threads = threads;
        this.log = log;
    }

    /** Writes plan.json and prints one line per run. */
    public void writePlan(OutputDir out) {
        List<Map<String, Object>> runs = new ArrayList<>();
        ConditionalRuns conditional = new ConditionalRuns(study, plan);
        for (Run r : plan.runs()) {
            List<Integer> after = study.dependsOn(r, plan).stream().map(Run::index).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", r.index());
            m.put("task", r.task());
            m.put("arm", r.arm());
            m.put("seed", r.seed());
            m.put("timed", r.timed());
            m.put("conditional_on", after.isEmpty() ? null : ranges(after));
            m.put("config", r.config());
            runs.add(m);
            log.printf("%4d  %-14s %-24s seed %d%s%s  %s%n", r.index(), r.task(), r.arm(), r.seed(),
                    r.timed() ? "  timed" : "", after.isEmpty() ? "" : "  if selected by " + ranges(after), r.config());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("study", study.name());
        m.put("mode", plan.mode());
        m.put("seeds", plan.seeds());
        m.put("settings", plan.settings());
        m.put("departures", plan.departures());
        m.put("runs", runs);
        out.writeJson("plan.json", m);
        long conditionalRuns = conditional.conditional(plan.runs()).size();
        log.println(plan.runs().size() + " runs (" + plan.runs().stream().filter(Run::timed).count() + " timed"
                + (conditionalRuns > 0 ? ", " + conditionalRuns + " conditional: executed only if the study's"
                        + " pre-registered selection needs them" : "") + "); plan: " + out.path("plan.json"));
    }

    /**
     * Executes runs {@code from..to} (inclusive) and writes each result to {@code out/runs} as soon as it is done, so
     * an interrupted part keeps what finished.
     */
    public List<RunResult> runSlice(int from, int to, OutputDir out) {
        return runSlice(from, to, out, List.of());
    }

    /**
     * As above. Conditional runs ({@link Study#dependsOn}) go last: each is executed only if the pre-registered
     * selection, computed from the results it depends on (executed in this slice or read from {@code given}), needs
     * it; the others are logged as skipped.
     */
    public List<RunResult> runSlice(int from, int to, OutputDir out, List<Path> given) {
        int n = plan.runs().size();
        if (from > to) {
            throw new NeuralOdeException("--run-only " + from + ".." + to + " is an empty range: give I..J with I <= J"
                    + " (the plan's runs are 0.." + (n - 1) + ", see --plan)");
        }
        if (from < 0 || to >= n) {
            throw new NeuralOdeException("--run-only " + from + ".." + to + " is outside the plan's runs 0.." + (n - 1)
                    + " (see --plan)");
        }
        Environment env = Environment.current();
        List<Run> slice = plan.runs().subList(from, to + 1);
        ConditionalRuns conditional = new ConditionalRuns(study, plan);
        List<RunResult> earlier = new ArrayList<>();
        for (Path d : given) {
            earlier.addAll(RunFiles.read(d, study.name(), plan));
        }
        java.util.Set<Integer> available = new java.util.HashSet<>();
        earlier.forEach(r -> available.add(r.run().index()));
        // a run whose result a --given folder holds is done: continuing a part that stopped reruns nothing
        List<Integer> givenHere = slice.stream().map(Run::index).filter(available::contains).toList();
        List<Run> todo = slice.stream().filter(r -> !available.contains(r.index())).toList();
        List<Run> first = conditional.unconditional(todo);
        List<Run> later = conditional.conditional(todo);
        first.forEach(r -> available.add(r.index()));
        conditional.checkDependencies(later, available);
        study.checkInputs(todo);
        int[] done = {0};
        if (!givenHere.isEmpty()) {
            done[0] = givenHere.size();
            log.printf("runs given, not rerun: %d of %d (%s)%n", done[0], slice.size(), ranges(givenHere));
        }
        List<RunResult> results = new ArrayList<>(executeAll(first, env, out, done, slice.size()));
        if (!later.isEmpty()) {
            List<RunResult> known = new ArrayList<>(earlier);
            known.addAll(results);
            java.util.Map<Run, String> decided = conditional.decide(later, new Results(known));
            List<Run> needed = new ArrayList<>();
            decided.forEach((r, why) -> {
                if (why == null) {
                    needed.add(r);
                } else {
                    log.printf("run %d/%d  #%d %s  skipped: not needed (%s)%n", ++done[0], slice.size(), r.index(),
                            r.label(), why);
                }
            });
            results.addAll(executeAll(needed, env, out, done, slice.size()));
        }
        return results;
    }

    /** Untimed runs {@code threads} at a time, then timed runs one at a time with nothing else running. */
    private List<RunResult> executeAll(List<Run> runs, Environment env, OutputDir out, int[] done, int total) {
        List<Run> untimed = runs.stream().filter(r -> !r.timed()).toList();
        List<Run> timed = runs.stream().filter(Run::timed).toList();
        List<RunResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "study-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (Run r : untimed) {
                futures.add(pool.submit(() -> execute(r, env, out)));
            }
            for (Future<RunResult> f : futures) {
                results.add(f.get());
                progress(++done[0], total, results.get(results.size() - 1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NeuralOdeException("study interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof NeuralOdeException ne ? ne : new NeuralOdeException("study run failed: " + c, c);
        } finally {
            pool.shutdownNow();
        }
        for (Run r : timed) {
            results.add(execute(r, env, out));
            progress(++done[0], total, results.get(results.size() - 1));
        }
        return results;
    }

    private RunResult execute(Run r, Environment env, OutputDir out) {
        // a full run can take minutes with nothing else to show for it: say what is running
        log.printf("started #%d %s%s%n", r.index(), r.label(), r.timed() ? " (timed: one at a time)" : "");
        RunResult result = execute(study, r, env);
        record(out, result);
        return result;
    }

    /**
     * Executes one run and times it: the one code path of every runner (this one's threads, a Spark task). A run
     * that throws propagates; the runner decides whether to retry it or to record it as failed.
     */
    public static RunResult execute(Study study, Run r, Environment env) {
        double loadStart = loadAverage();
        long t0 = System.nanoTime();
        Measurements m = study.execute(r);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double loadEnd = loadAverage();
        if (loadStart >= 0 && loadEnd >= 0) { // negative: the platform has no load average
            m = m.with(Measurements.LOAD_START, loadStart).with(Measurements.LOAD_END, loadEnd);
        }
        return new RunResult(r, m, seconds, env.machine(), env.date());
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Writes one result to {@code out/runs}, where {@link #merge} reads it (for results executed elsewhere). */
    public void record(OutputDir out, RunResult r) {
        int i = r.run().index();
        if (i < 0 || i >= plan.runs().size() || !r.run().equals(plan.runs().get(i))) {
            throw new NeuralOdeException("run " + r.run().index() + " (" + r.run().label() + ") is not this plan's run");
        }
        RunFiles.write(out, study.name(), plan.mode(), r);
    }

    private void progress(int done, int total, RunResult r) {
        log.printf("run %d/%d  #%d %s  %.1f s%n", done, total, r.run().index(), r.run().label(), r.seconds());
    }

    /**
     * Reads the run results of every folder, checks that together they hold each run of the plan exactly once, and
     * writes report.md, results.json and the plots into {@code out}.
     */
    public Map<String, Object> merge(List<Path> dirs, OutputDir out, String command) {
        Map<Integer, RunResult> byIndex = new TreeMap<>();
        Map<Integer, Path> from = new TreeMap<>();
        for (Path d : dirs) {
            for (RunResult r : RunFiles.read(d, study.name(), plan)) {
                Path previous = from.put(r.run().index(), d);
                if (previous != null) {
                    throw new NeuralOdeException("run " + r.run().index() + " (" + r.run().label() + ") is in both "
                            + previous + " and " + d + ": merge each run once");
                }
                byIndex.put(r.run().index(), r);
            }
        }
        Results found = new Results(new ArrayList<>(byIndex.values()));
        ConditionalRuns conditional = new ConditionalRuns(study, plan);
        Map<Integer, String> notNeeded = new TreeMap<>();
        List<Integer> missing = new ArrayList<>();
        for (Run r : plan.runs()) {
            if (byIndex.containsKey(r.index())) {
                continue;
            }
            String why = conditional.leftOut(r, found, byIndex.keySet());
            if (why != null) {
                notNeeded.put(r.index(), why);
            } else {
                missing.add(r.index());
            }
        }
        if (!missing.isEmpty()) {
            throw new NeuralOdeException("the results hold " + byIndex.size() + " of " + plan.runs().size()
                    + " runs; missing " + ranges(missing) + " (run them with --run-only I..J, then merge again)");
        }
        Results results = new Results(found.runs(), notNeeded);
        return StudyReport.write(study, plan, results, dirs.size(), command, out);
    }

    /** Runs the whole plan into {@code out} and writes the report there. */
    public Map<String, Object> runAll(OutputDir out, String command) {
        runSlice(0, plan.runs().size() - 1, out);
        return merge(List.of(out.dir()), out, command);
    }

    /** "3..7, 12" for a sorted index list. */
    static String ranges(List<Integer> xs) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < xs.size()) {
            int j = i;
            while (j + 1 < xs.size() && xs.get(j + 1) == xs.get(j) + 1) {
                j++;
            }
            sb.append(sb.length() == 0 ? "" : ", ").append(xs.get(i)).append(j > i ? ".." + xs.get(j) : "");
            i = j + 1;
        }
        return sb.toString();
    }
}
