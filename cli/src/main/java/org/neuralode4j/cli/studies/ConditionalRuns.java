package org.neuralode4j.cli.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.neuralode4j.NeuralOdeException;

/**
 * The conditional runs of a plan ({@link Study#dependsOn}): which of them wait for which results, and which the
 * pre-registered selection then needs. The local runner, the merge and the Spark runner decide through this one
 * class, so a run skipped by one is skipped by all.
 */
public final class ConditionalRuns {
    private final Study study;
    private final Plan plan;

    public ConditionalRuns(Study study, Plan plan) {
        this.study = study;
        this.plan = plan;
    }

    public boolean isConditional(Run run) {
        return !study.dependsOn(run, plan).isEmpty();
    }

    /** The unconditional runs of {@code runs}, in order. */
    public List<Run> unconditional(List<Run> runs) {
        return runs.stream().filter(r -> !isConditional(r)).toList();
    }

    /** The conditional runs of {@code runs}, in order. */
    public List<Run> conditional(List<Run> runs) {
        return runs.stream().filter(this::isConditional).toList();
    }

    /**
     * Checks, before anything runs, that every conditional run of {@code runs} will find what it depends on among
     * {@code available} (indices of results given or executed first); a one-line error otherwise.
     */
    public void checkDependencies(List<Run> runs, Set<Integer> available) {
        Set<Integer> missing = new TreeSet<>();
        List<Integer> waiting = new ArrayList<>();
        for (Run r : conditional(runs)) {
            boolean ok = true;
            for (Run d : study.dependsOn(r, plan)) {
                if (!available.contains(d.index())) {
                    missing.add(d.index());
                    ok = false;
                }
            }
            if (!ok) {
                waiting.add(r.index());
            }
        }
        if (!missing.isEmpty()) {
            throw new NeuralOdeException("runs " + StudyRunner.ranges(waiting) + " are executed only if the study's"
                    + " pre-registered selection needs them, which reads runs " + StudyRunner.ranges(new ArrayList<>(missing))
                    + ": include those in --run-only, or pass the folders holding their results with --given DIR...");
        }
    }

    /**
     * For each conditional run of {@code runs}: null when the selection needs it, else why not. {@code results} must
     * hold every run they depend on.
     */
    public Map<Run, String> decide(List<Run> runs, Results results) {
        Map<Run, String> out = new LinkedHashMap<>();
        for (Run r : conditional(runs)) {
            out.put(r, study.notNeeded(r, plan, results));
        }
        return out;
    }

    /**
     * Why the selection leaves out {@code run}, judged on {@code results}, whose run indices are {@code present}; null
     * when the run is unconditional, when it is needed, or when a run it depends on is not present (so undecided).
     */
    public String leftOut(Run run, Results results, Set<Integer> present) {
        List<Run> deps = study.dependsOn(run, plan);
        if (deps.isEmpty() || !deps.stream().allMatch(d -> present.contains(d.index()))) {
            return null;
        }
        return study.notNeeded(run, plan, results);
    }

    /** The conditional runs of {@code runs} the selection needs, in order. */
    public List<Run> needed(List<Run> runs, Results results) {
        List<Run> out = new ArrayList<>();
        decide(runs, results).forEach((r, why) -> {
            if (why == null) {
                out.add(r);
            }
        });
        return out;
    }
}
