package org.neuralode4j.cli.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON object whose keys keep the order they are given in. {@code Map.of} iterates in an order that changes from
 * one JVM to the next, so writing the same result twice would give two different files.
 */
public final class OrderedJson {
    private OrderedJson() {
    }

    /** An object from alternating keys and values: {@code of("name", n, "passed", true)}. */
    public static Map<String, Object> of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must alternate; got an odd count " + keysAndValues.length);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
