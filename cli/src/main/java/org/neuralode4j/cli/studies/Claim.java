package org.neuralode4j.cli.studies;

/**
 * One claim of claims.md with its rule, fixed before the data: the id, the statement (the paper's), the metric,
 * the rule in words (as the report prints it), and the judge that applies the rule to the results.
 *
 * @param timed true when the verdict rests on wall time (its runs are executed one at a time)
 */
public record Claim(String id, String statement, String metric, String rule, boolean timed, Judge judge) {
    /** Applies the claim's rule to the merged results. */
    @FunctionalInterface
    public interface Judge {
        ClaimResult judge(Results results);
    }
}
