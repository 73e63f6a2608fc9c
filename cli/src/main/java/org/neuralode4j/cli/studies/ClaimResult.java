package org.neuralode4j.cli.studies;

import java.util.List;
import org.neuralode4j.analysis.verdict.GatedVerdict;

/**
 * A claim's verdict after its gates, and the lines of evidence the report prints under it (one per task or
 * configuration, each with the numbers the verdict rests on).
 */
public record ClaimResult(GatedVerdict verdict, List<String> evidence) {
    public ClaimResult {
        evidence = List.copyOf(evidence);
    }
}
