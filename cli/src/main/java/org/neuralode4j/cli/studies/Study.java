package org.neuralode4j.cli.studies;

import java.util.List;
import org.neuralode4j.cli.report.OutputDir;

/**
 * A paper's study: its claims with their rules, its quick and full plans, how one run is executed, and the tables
 * and plots its report adds. The {@link StudyRunner} owns everything else (threads, timing, parts and merging, the
 * report's header and claim sections), so adding a study is one class implementing this plus its entry in
 * {@link Studies}.
 */
public interface Study {
    /** The command's name, e.g. "conditioning". */
    String name();

    /** The report's title, naming the paper. */
    String title();

    /**
     * This study reading its image sets from these folders (each null: the default lookup of datasets.md §3.1, §4).
     * Studies without image tasks return themselves.
     */
    default Study withImageDirs(java.nio.file.Path fmnistDir, java.nio.file.Path mnistDir) {
        return this;
    }

    /** The quick (minutes) or full plan. */
    Plan plan(boolean quick);

    /** The claims in claims.md order, their rules written for this plan. */
    List<Claim> claims(Plan plan);

    /**
     * Checks, before any run starts, that what the given runs need is there (e.g. installed data sets), and throws a
     * one-line error naming what is missing: a study should not fail after hours of runs for a missing file.
     */
    default void checkInputs(List<Run> runs) {}

    /**
     * The runs this run waits for when it is conditional: executed only if a rule fixed before the data (e.g. RNODE's
     * "R1's λ") selects it from their results, so that a plan need not run every configuration such a rule might pick.
     * Empty (the default) for the runs every report needs.
     */
    default List<Run> dependsOn(Run run, Plan plan) {
        return List.of();
    }

    /**
     * For a conditional run, given results holding every run it {@linkplain #dependsOn depends on}: null when the
     * pre-registered selection needs it, else why not (one line, for the log and the report).
     */
    default String notNeeded(Run run, Plan plan, Results dependencies) {
        return null;
    }

    /** Executes one run; deterministic for the run's settings and seed, except for keys marked as timings. */
    Measurements execute(Run run);

    /** Markdown sections with the results tables, fronts and per-seed tables (no wall-clock numbers). */
    String tables(Plan plan, Results results);

    /** Writes the study's plots into the report folder. */
    void plots(OutputDir out, Plan plan, Results results);
}
