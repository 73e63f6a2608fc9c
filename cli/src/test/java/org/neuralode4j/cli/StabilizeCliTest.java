package org.neuralode4j.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.neuralode4j.cli.CliRun.assertUserError;
import static org.neuralode4j.cli.CliRun.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --arch lognorm}, {@code stabilize} and {@code train --stabilize} on the 2-D variant (stability.md §5,
 * §4.4, T-10): the new folder holds the model and every §4.3 field, the input model is byte-for-byte unchanged,
 * reruns are identical, max μ₂ over the constraint states is ≤ δ + τ, and bad input is one line with exit 2.
 */
class StabilizeCliTest {
    @TempDir
    static Path tmp;
    static Path trained;
    static final String[] DATA = {"--dataset", "moons", "--train-size", "256", "--test-size", "128"};

    @BeforeAll
    static void train() {
        trained = tmp.resolve("ln");
        CliRun.Outcome o = run(concat(new String[] {"train", "--arch", "lognorm", "--state-dim", "4", "--epochs", "2",
            "--batch", "64", "--lr", "0.01", "--no-progress", "--out", trained.toString()}, DATA));
        assertEquals(0, o.code(), o.err());
    }

    static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static Map<String, byte[]> snapshot(Path dir) throws Exception {
        Map<String, byte[]> m = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    @SuppressWarnings("unchecked")
    void stabilizeWritesANewModelAndEveryReportField() throws Exception {
        Map<String, byte[]> before = snapshot(trained);
        Path out = tmp.resolve("stable");
        String[] args = concat(new String[] {"stabilize", "--model", trained.toString(), "--delta", "0", "--samples", "16",
            "--points", "16", "--out", out.toString()}, DATA);
        CliRun.Outcome o = run(args);
        assertEquals(0, o.code(), o.err());
        Map<String, byte[]> after = snapshot(trained);
        assertEquals(before.keySet(), after.keySet(), "the input folder gained or lost files");
        for (String f : before.keySet()) {
            assertArrayEquals(before.get(f), after.get(f), f + " changed");
        }
        for (String f : List.of("model.json", "model.params", "stability.json", "stability.txt")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "temporary folder left");
        }
        Map<String, Object> j = new ObjectMapper().readValue(out.resolve("stability.json").toFile(), Map.class);
        for (String k : List.of("settings", "stabilise", "test_trajectories", "accuracy", "caveats", "stabilise_seconds")) {
            assertTrue(j.containsKey(k), k);
        }
        Map<String, Object> settings = (Map<String, Object>) j.get("settings");
        for (String k : List.of("delta", "tau", "T", "C", "functional", "constraint_samples", "grid_intervals", "rounds",
                "rebase", "max_outer", "rel_tol", "newton_factor", "max_inner", "h0", "theta", "safe_stop", "stat_tol",
                "stag_tol", "d_floor", "active_margin", "rank", "seed", "schedule", "finetune")) {
            assertTrue(settings.containsKey(k), "settings." + k);
        }
        Map<String, Object> st = (Map<String, Object>) j.get("stabilise");
        for (String k : List.of("rounds", "delta_frobenius", "delta_relative", "delta_spectral", "delta_rank",
                "mu2_A_before", "mu2_A_after")) {
            assertTrue(st.containsKey(k), "stabilise." + k);
        }
        List<Map<String, Object>> rounds = (List<Map<String, Object>>) st.get("rounds");
        for (Map<String, Object> r : rounds) {
            for (String k : List.of("states", "status", "eps", "outer_iterations", "inner_iterations", "f_evaluations",
                    "seconds", "m_before_max", "lambda_before_mean", "m_after_max", "lambda_after_mean",
                    "m_fresh_states_after")) {
                assertTrue(r.containsKey(k), "round." + k);
            }
            assertTrue(((Number) r.get("m_after_max")).doubleValue() <= 1e-3, "m <= tau on the round's states");
        }
        if ((Boolean) st.get("satisfied")) {
            Map<String, Object> last = rounds.get(rounds.size() - 1);
            assertTrue(((Number) last.get("m_fresh_states_after")).doubleValue() <= 1e-3);
        }
        Map<String, Object> traj = (Map<String, Object>) j.get("test_trajectories");
        for (String side : List.of("before", "after")) {
            Map<String, Object> t = (Map<String, Object>) traj.get(side);
            for (String k : List.of("mu2_mean", "mu2_median", "mu2_p90", "mu2_max", "mu2_fraction_above_delta_plus_tau",
                    "expansion_ratio", "local_expansion", "log_norm_bound", "local_above_bound_fraction")) {
                assertTrue(t.containsKey(k), side + "." + k);
            }
        }
        Map<String, Object> acc = (Map<String, Object>) j.get("accuracy");
        for (String k : List.of("clean_before", "clean_after_stabilise", "clean_after_finetune", "fgsm_before",
                "fgsm_after", "pgd_before", "pgd_after")) {
            assertTrue(acc.containsKey(k), "accuracy." + k);
        }
        assertTrue(Files.readString(out.resolve("stability.txt")).contains("What the certificate does not cover"));

        // the same seed gives the same model, bit for bit
        Path again = tmp.resolve("stable-again");
        args[args.length - DATA.length - 1] = again.toString();
        assertEquals(0, run(args).code());
        assertArrayEquals(Files.readAllBytes(out.resolve("model.params")), Files.readAllBytes(again.resolve("model.params")));
        // the stabilised model loads and evaluates like any other
        CliRun.Outcome a = run(concat(new String[] {"analyze", "--model", out.toString(), "--points", "16", "--grid", "3",
            "--eps", "0.1"}, DATA));
        assertEquals(0, a.code(), a.err());
        assertTrue(Files.readString(out.resolve("analysis.json")).contains("\"mu2_fraction_above_delta_plus_tau\""));
        // an existing --out is refused, and nothing is written over it
        assertUserError(run(args), "already exists");
    }

    @Test
    @SuppressWarnings("unchecked")
    void stabilizeWithLowRank() throws Exception {
        // stability.md §3.8 low rank: every round's Δ from the trained A has rank <= r (rebase ORIGINAL), so does A − A0
        Path out = tmp.resolve("rank3");
        CliRun.Outcome o = run(concat(new String[] {"stabilize", "--model", trained.toString(), "--delta", "0",
            "--samples", "16", "--points", "16", "--rank", "3", "--out", out.toString()}, DATA));
        assertEquals(0, o.code(), o.err());
        Map<String, Object> j = new ObjectMapper().readValue(out.resolve("stability.json").toFile(), Map.class);
        assertEquals(3, ((Map<String, Object>) j.get("settings")).get("rank"));
        Map<String, Object> st = (Map<String, Object>) j.get("stabilise");
        assertTrue(((Number) st.get("delta_rank")).intValue() <= 3, "delta_rank " + st.get("delta_rank"));
        for (Map<String, Object> r : (List<Map<String, Object>>) st.get("rounds")) {
            assertTrue(((Number) r.get("m_after_max")).doubleValue() <= 1e-3, "m <= tau on the round's states");
        }
        // on this model the rank-1 flow finds no feasible point: refused in one line, never a full-rank Δ
        Path never = tmp.resolve("rank1");
        assertUserError(run(concat(new String[] {"stabilize", "--model", trained.toString(), "--delta", "0",
            "--samples", "16", "--points", "16", "--rank", "1", "--out", never.toString()}, DATA)), "rank <= 1");
        assertFalse(Files.exists(never));
        assertUserError(run(concat(new String[] {"stabilize", "--model", trained.toString(), "--rank", "-1", "--out",
            tmp.resolve("rank-bad").toString()}, DATA)), "rank");
    }

    @Test
    @SuppressWarnings("unchecked")
    void stabilizeWithTheActiveSetGivesTheSameModel() throws Exception {
        // stability.md §3.7: the active set changes what the inner level evaluates, not the answer (same ε to relTol)
        Path plain = tmp.resolve("as-plain");
        Path active = tmp.resolve("as-active");
        String[] base = {"stabilize", "--model", trained.toString(), "--delta", "0", "--samples", "16", "--points", "16"};
        assertEquals(0, run(concat(base, concat(new String[] {"--out", plain.toString()}, DATA))).code());
        CliRun.Outcome o = run(concat(base, concat(new String[] {"--active-margin", "0.05", "--out", active.toString()},
                DATA)));
        assertEquals(0, o.code(), o.err());
        Map<String, Object> a = new ObjectMapper().readValue(active.resolve("stability.json").toFile(), Map.class);
        Map<String, Object> p = new ObjectMapper().readValue(plain.resolve("stability.json").toFile(), Map.class);
        assertEquals(0.05, ((Map<String, Object>) a.get("settings")).get("active_margin"));
        assertEquals("off", ((Map<String, Object>) p.get("settings")).get("active_margin"));
        double ea = ((Number) ((Map<String, Object>) a.get("stabilise")).get("delta_frobenius")).doubleValue();
        double ep = ((Number) ((Map<String, Object>) p.get("stabilise")).get("delta_frobenius")).doubleValue();
        assertEquals(ep, ea, 3e-3 * ep, "‖Δ‖_F with and without the active set");
        for (Map<String, Object> r : (List<Map<String, Object>>) ((Map<String, Object>) a.get("stabilise")).get("rounds")) {
            assertTrue(((Number) r.get("m_after_max")).doubleValue() <= 1e-3, "m <= tau on every state of the round");
        }
        assertUserError(run(concat(base, concat(new String[] {"--active-margin", "-1", "--out",
            tmp.resolve("as-bad").toString()}, DATA))), "--active-margin must be a finite number >= 0 (got -1.0)");
    }

    @Test
    void badInputIsOneLineWithExitTwo() {
        Path out = tmp.resolve("never");
        String[] base = {"stabilize", "--model", trained.toString(), "--out", out.toString()};
        assertUserError(run(concat(base, concat(new String[] {"--delta", "0", "--rebase", "sideways"}, DATA))), "--rebase");
        assertUserError(run(concat(base, concat(new String[] {"--functional", "x"}, DATA))), "--functional");
        assertUserError(run(concat(base, concat(new String[] {"--samples", "0"}, DATA))), "--samples");
        assertUserError(run(concat(base, concat(new String[] {"--finetune", "all"}, DATA))), "--finetune");
        assertUserError(run(concat(base, new String[] {"--dataset", "moons", "--tau", "-1"})), "tau");
        assertUserError(run("stabilize", "--model", tmp.resolve("nothing").toString(), "--dataset", "moons"), "model.json");
        assertFalse(Files.exists(out));
        Path anode = tmp.resolve("anode");
        assertEquals(0, run(concat(new String[] {"train", "--epochs", "1", "--width", "8", "--depth", "1", "--no-progress",
            "--out", anode.toString()}, DATA)).code());
        assertUserError(run(concat(new String[] {"stabilize", "--model", anode.toString(), "--out", out.toString()}, DATA)),
                "--arch lognorm");
        assertUserError(run(concat(new String[] {"train", "--stabilize", "post", "--epochs", "1", "--out",
            tmp.resolve("x").toString()}, DATA)), "--arch lognorm");
        assertUserError(run(concat(new String[] {"train", "--arch", "lognorm", "--stabilize", "sometimes", "--out",
            tmp.resolve("y").toString()}, DATA)), "--stabilize");
        assertUserError(run(concat(new String[] {"train", "--arch", "resnet", "--out", tmp.resolve("z").toString()}, DATA)),
                "--arch");
    }

    @Test
    void trainWithPostHocStabilisation() throws Exception {
        Path out = tmp.resolve("post");
        CliRun.Outcome o = run(concat(new String[] {"train", "--arch", "lognorm", "--state-dim", "4", "--epochs", "2",
            "--batch", "64", "--lr", "0.01", "--no-progress", "--stabilize", "interleaved", "--delta", "0.1",
            "--samples", "16", "--out", out.toString()}, DATA));
        assertEquals(0, o.code(), o.err());
        String json = Files.readString(out.resolve("stability.json"));
        assertTrue(json.contains("\"interleaved\"") && json.contains("\"INTERLEAVED\""), json);
        assertTrue(Files.isRegularFile(out.resolve("metrics.json")) && Files.isRegularFile(out.resolve("model.params")));
    }
}
