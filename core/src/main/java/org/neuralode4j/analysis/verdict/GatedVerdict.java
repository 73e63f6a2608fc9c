package org.neuralode4j.analysis.verdict;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A row's verdict after its gates (claims.md §0.1): when any gate failed the verdict is INCONCLUSIVE and the label
 * says "inconclusive: gate failed (reason)", whatever the rule said; otherwise the rule's verdict stands.
 *
 * @param ruleVerdict what the rule gave on the data
 * @param gates every gate checked for the row (passed and failed), printed in the report
 */
public record GatedVerdict(Verdict ruleVerdict, List<Gate> gates) {
    public GatedVerdict {
        gates = List.copyOf(gates);
    }

    public static GatedVerdict of(Verdict ruleVerdict, List<Gate> gates) {
        return new GatedVerdict(ruleVerdict, gates);
    }

    /** INCONCLUSIVE when a gate failed, else the rule's verdict. */
    public Verdict verdict() {
        return Gate.failed(gates).isEmpty() ? ruleVerdict : Verdict.INCONCLUSIVE;
    }

    public boolean gateFailed() {
        return !Gate.failed(gates).isEmpty();
    }

    /** "supported", or "inconclusive: gate failed (reason; reason)". */
    public String label() {
        List<Gate> failed = Gate.failed(gates);
        if (failed.isEmpty()) return ruleVerdict.label();
        return "inconclusive: gate failed (" + failed.stream().map(Gate::reason).collect(Collectors.joining("; ")) + ")";
    }
}
