package org.neuralode4j.spark.study;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.neuralode4j.cli.studies.TinyStudies;

/** The equality a Spark run of a study must have with a local run: everything but wall-clock numbers. */
final class SameReport {
    private SameReport() {}

    static void check(Map<String, Object> local, Map<String, Object> distributed) {
        assertEquals(local.get("verdicts"), distributed.get("verdicts"));
        assertEquals(TinyStudies.withoutTiming((String) local.get("markdown")),
                TinyStudies.withoutTiming((String) distributed.get("markdown")), "claims, evidence and tables");
        assertEquals(withoutSeconds(local.get("runs")), withoutSeconds(distributed.get("runs")),
                "every run's scalars, bit for bit");
    }

    /** The per-run entries of results.json without their wall time and timing keys. */
    @SuppressWarnings("unchecked")
    private static List<Object> withoutSeconds(Object runs) {
        return ((List<Map<String, Object>>) runs).stream().map(m -> {
            Map<String, Object> c = new TreeMap<>(m);
            c.remove("seconds");
            Map<String, Object> s = new TreeMap<>((Map<String, Object>) c.get("scalars"));
            s.keySet().removeIf(k -> k.startsWith("time."));
            c.put("scalars", s);
            return (Object) c;
        }).toList();
    }
}
