package org.neuralode4j.cli.studies;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.neuralode4j.analysis.verdict.Gate;
import org.neuralode4j.cli.report.OrderedJson;
import org.neuralode4j.cli.report.OutputDir;

/**
 * The report every study writes (evaluation.md §4.5): a header naming the command, commit, JVM, CPU, dates,
 * CPU-hours and every departure from claims.md and the paper; then each claim in claims.md order with its metric,
 * rule, gates, evidence and verdict; then the study's tables; wall-clock numbers last, in their own section.
 */
final class StudyReport {
    /**
     * What the runner guarantees for timed runs, and no more: it starts no other run of its part beside them. Parts
     * executed as separate processes at the same time are the operator's doing and invisible to it.
     */
    static final String TIMED_GUARANTEE = "one at a time within their part, no other run of the part beside them";

    static final String VERDICTS = "## Verdicts";
    static final String TIMING = "## Timing";
    static final String FAILED = "## Failed runs";

    private StudyReport() {}

    static Map<String, Object> write(Study study, Plan plan, Results results, int parts, String command,
                                     OutputDir out) {
        List<Claim> claims = study.claims(plan);
        Map<String, ClaimResult> judged = new LinkedHashMap<>();
        for (Claim c : claims) {
            judged.put(c.id(), c.judge().judge(results));
        }
        Set<String> machines = new LinkedHashSet<>();
        List<String> dates = new ArrayList<>();
        for (RunResult r : results.runs()) {
            machines.add(r.machine());
            dates.add(r.date());
        }
        dates.sort(null);
        StringBuilder md = new StringBuilder();
        md.append("# Study: ").append(study.title()).append("\n\n## Setup\n\n");
        md.append("- command: `").append(command).append("`\n");
        md.append("- mode: ").append(plan.mode()).append("; ").append(plan.runs().size()).append(" runs (")
                .append(plan.runs().stream().filter(Run::timed).count()).append(" timed: ").append(TIMED_GUARANTEE)
                .append("); seeds per arm: ")
                .append(plan.seeds()).append("; parts merged: ").append(parts).append('\n');
        if (!results.notNeeded().isEmpty()) {
            md.append("- not executed: ").append(results.notNeeded().size()).append(" conditional runs (")
                    .append(StudyRunner.ranges(new ArrayList<>(results.notNeeded().keySet())))
                    .append("), which the study's pre-registered selection did not need (the reasons are in"
                            + " results.json)\n");
        }
        for (String m : machines) {
            md.append("- ran on: ").append(m).append('\n');
        }
        md.append("- parts started: ").append(dates.isEmpty() ? "–" : dates.get(0).equals(dates.get(dates.size() - 1))
                ? dates.get(0) : dates.get(0) + " to " + dates.get(dates.size() - 1))
                .append("; CPU-hours: ").append(String.format(java.util.Locale.ROOT, "%.2f", results.cpuHours()))
                .append(" (sum of the runs' wall times, one thread each)\n");
        for (String s : plan.settings()) {
            md.append("- ").append(s).append('\n');
        }
        md.append("- rules: evaluation.md §4.4 as revised by claims.md §0.1; z = 2 for single comparisons, Bonferroni"
                + " z_m = Φ⁻¹(1 − 0.025/m) over m configurations; with S = ").append(plan.seeds())
                .append(" seeds these are screening-level statistics, not 95 % tests; fewer than 3 seeds make every"
                        + " rule inconclusive, with the observed direction shown\n\n");
        md.append("## Departures from claims.md and the paper\n\n");
        List<String> departures = new ArrayList<>(plan.departures());
        if (machines.size() > 1) {
            departures.add("the parts ran on " + machines.size() + " different commits or machines (listed above)");
        }
        for (String d : departures) {
            md.append("- ").append(d).append('\n');
        }
        if (departures.isEmpty()) {
            md.append("- none\n");
        }
        List<RunResult> failed = results.runs().stream().filter(RunResult::failed).toList();
        if (!failed.isEmpty()) {
            md.append("\n").append(FAILED).append("\n\nThese runs failed after their runner's retries; they have no"
                    + " measurements, so they drop out of the verdicts and show as empty cells in the tables.\n\n");
            for (RunResult r : failed) {
                md.append("- run ").append(r.run().index()).append(" (").append(r.run().label()).append("): ")
                        .append(r.failure()).append('\n');
            }
        }
        md.append('\n').append(VERDICTS).append("\n\n").append(Markdown.header("claim", "verdict"));
        for (Claim c : claims) {
            md.append(Markdown.row(List.of(c.id() + (c.timed() ? " (timed)" : ""), judged.get(c.id()).verdict().label())));
        }
        md.append("\n## Claims\n\n");
        List<Map<String, Object>> claimJson = new ArrayList<>();
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (Claim c : claims) {
            ClaimResult r = judged.get(c.id());
            md.append("### ").append(c.id()).append(": ").append(c.statement()).append("\n\n");
            md.append("- metric: ").append(c.metric()).append('\n');
            md.append("- rule (fixed before the data): ").append(c.rule()).append('\n');
            for (Gate g : r.verdict().gates()) {
                md.append("- gate ").append(g.passed() ? "passed" : "FAILED").append(": ").append(g.reason()).append('\n');
            }
            for (String e : r.evidence()) {
                md.append("- ").append(e).append('\n');
            }
            if (r.verdict().gateFailed()) {
                md.append("- the rule on the data alone: ").append(r.verdict().ruleVerdict().label()).append('\n');
            }
            md.append("\n**Verdict: ").append(r.verdict().label()).append("**\n\n");
            verdicts.put(c.id(), r.verdict().label());
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("id", c.id());
            j.put("statement", c.statement());
            j.put("metric", c.metric());
            j.put("rule", c.rule());
            j.put("timed", c.timed());
            j.put("verdict", r.verdict().label());
            j.put("rule_verdict", r.verdict().ruleVerdict().label());
            j.put("gates", r.verdict().gates().stream().map(g -> OrderedJson.of("name", g.name(), "passed", g.passed(),
                    "reason", g.reason())).toList());
            j.put("evidence", r.evidence());
            claimJson.add(j);
        }
        md.append(study.tables(plan, results));
        md.append('\n').append(timing(results));

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("study", study.name());
        json.put("title", study.title());
        json.put("mode", plan.mode());
        json.put("command", command);
        json.put("machines", List.copyOf(machines));
        json.put("cpu_hours", results.cpuHours());
        json.put("parts", parts);
        Map<String, String> skipped = new LinkedHashMap<>();
        results.notNeeded().forEach((i, why) -> skipped.put(String.valueOf(i), why));
        json.put("not_needed", skipped);
        json.put("settings", plan.settings());
        json.put("departures", departures);
        json.put("verdicts", verdicts);
        json.put("claims", claimJson);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunResult r : results.runs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", r.run().index());
            m.put("task", r.run().task());
            m.put("arm", r.run().arm());
            m.put("seed", r.run().seed());
            m.put("seconds", r.seconds());
            if (r.failed()) {
                m.put("failure", r.failure());
            }
            Map<String, Object> s = new TreeMap<>();
            r.values().scalars().forEach((k, v) -> s.put(k, Double.isFinite(v) ? v : Double.toString(v)));
            m.put("scalars", s);
            runs.add(m);
        }
        json.put("runs", runs);
        out.writeJson("results.json", json);
        study.plots(out, plan, results);
        out.write("report.md", md.toString().getBytes(StandardCharsets.UTF_8));
        json.put("markdown", md.toString());
        return json;
    }

    /**
     * " The machine's load average …" over the timed and the untimed runs that recorded it (the runner does not
     * control other processes, so this is what tells a reader how busy the machine was), or "" when none did.
     */
    private static String loads(Results results) {
        StringBuilder sb = new StringBuilder();
        for (boolean timed : new boolean[] {true, false}) {
            double[] v = results.runs().stream().filter(r -> r.run().timed() == timed)
                    .flatMapToDouble(r -> java.util.stream.DoubleStream.of(r.scalar(Measurements.LOAD_START),
                            r.scalar(Measurements.LOAD_END)))
                    .filter(x -> !Double.isNaN(x)).sorted().toArray();
            if (v.length > 0) {
                sb.append(sb.length() == 0 ? " The machine's 1-minute load average at the start and end of the " : "; of the ")
                        .append(timed ? "timed" : "untimed").append(" runs: ")
                        .append(String.format(java.util.Locale.ROOT, "%.2f–%.2f (median %.2f, %d of %d runs recorded it)",
                                v[0], v[v.length - 1], v[v.length / 2], v.length / 2,
                                results.runs().stream().filter(r -> r.run().timed() == timed).count()));
            }
        }
        return sb.length() == 0 ? "" : sb.append('.').toString();
    }

    /** Wall time per (task, arm) and every timing measurement, mean ± sd over seeds. */
    private static String timing(Results results) {
        Map<String, List<RunResult>> groups = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        for (RunResult r : results.runs()) {
            groups.computeIfAbsent(r.run().task() + " | " + r.run().arm(), k -> new ArrayList<>()).add(r);
            r.values().scalars().keySet().stream().filter(k -> k.startsWith(Measurements.TIMING))
                    .filter(k -> !k.equals(Measurements.LOAD_START) && !k.equals(Measurements.LOAD_END)).forEach(keys::add);
        }
        List<String> cols = new ArrayList<>(List.of("task", "arm", "run wall s"));
        for (String k : keys) {
            cols.add(k.substring(Measurements.TIMING.length()) + " s");
        }
        StringBuilder sb = new StringBuilder(TIMING).append("\n\nSeconds (mean ± sd over seeds): wall-clock, except"
                + " columns ending in `.cpu`, which are CPU seconds of the run's thread; runs marked timed in the plan"
                + " ran ").append(TIMED_GUARANTEE).append("; parts run side by side, or other programs, show in the load"
                + " averages.").append(loads(results))
                .append("\n\n").append(Markdown.header(cols.toArray(String[]::new)));
        groups.forEach((g, rs) -> {
            List<String> cells = new ArrayList<>(List.of(g.split(" \\| ", 2)));
            cells.add(Markdown.meanSd(rs.stream().mapToDouble(RunResult::seconds).toArray()));
            for (String k : keys) {
                cells.add(Markdown.meanSd(rs.stream().mapToDouble(r -> r.scalar(k)).toArray()));
            }
            sb.append(Markdown.row(cells));
        });
        return sb.toString();
    }
}
