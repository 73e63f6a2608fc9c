package org.neuralode4j.cli.report;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderedJsonTest {
    @Test
    void keysKeepTheOrderTheyAreGivenIn() {
        // twelve keys: Map.of would iterate them in a hash order, which differs from this one for almost every salt
        Object[] kv = new Object[24];
        for (int i = 0; i < 12; i++) {
            kv[2 * i] = "k" + (11 - i);
            kv[2 * i + 1] = i;
        }
        Map<String, Object> m = OrderedJson.of(kv);
        assertEquals(List.of("k11", "k10", "k9", "k8", "k7", "k6", "k5", "k4", "k3", "k2", "k1", "k0"),
                List.copyOf(m.keySet()));
        assertEquals(3, m.get("k8"));
    }

    @Test
    void writtenFileFollowsTheGivenOrder(@TempDir Path tmp) throws Exception {
        new OutputDir(tmp).writeJson("g.json", OrderedJson.of("name", "gate", "passed", true, "reason", "why"));
        String s = Files.readString(tmp.resolve("g.json"));
        assertTrue(s.indexOf("\"name\"") < s.indexOf("\"passed\"") && s.indexOf("\"passed\"") < s.indexOf("\"reason\""), s);
    }

    @Test
    void oddCountIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> OrderedJson.of("name", "gate", "passed"));
    }
}
