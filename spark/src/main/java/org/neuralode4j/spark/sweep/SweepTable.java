package org.neuralode4j.spark.sweep;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.analysis.verdict.ParetoFront;
import org.neuralode4j.cli.plots.Plots;
import org.neuralode4j.cli.plots.Png;
import org.neuralode4j.cli.report.OutputDir;

/**
 * A sweep's results: sweep.json (the grid, the base command and one row per point), sweep.csv (one line per point:
 * its settings, status, cost, quality and every other final metric), and pareto.png: cost (NFE) against quality per
 * configuration, seeds averaged ({@link ParetoFront}, the studies' front), the front drawn as a line.
 */
final class SweepTable {
    private final SweepTarget target;
    private final Grid grid;
    private final List<String> base;
    private final List<Map<String, Object>> rows;

    SweepTable(SweepTarget target, Grid grid, List<String> base, List<Map<String, Object>> rows) {
        this.target = target;
        this.grid = grid;
        this.base = base;
        this.rows = rows;
    }

    void write(OutputDir out) {
        List<ParetoFront.Point> front = front();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", target.label());
        json.put("base_arguments", base);
        json.put("grid", grid.axes());
        json.put("cost", target.cost);
        json.put("quality", target.quality);
        json.put("quality_higher_is_better", target.higherIsBetter);
        json.put("points", rows);
        json.put("pareto", front.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("configuration", p.label());
            m.put("cost_mean", finite(p.costMean()));
            m.put("quality_mean", finite(p.qualityMean()));
            m.put("seeds", p.seeds());
            m.put("on_front", p.onFront());
            return m;
        }).toList());
        out.writeJson("sweep.json", json);
        out.write("sweep.csv", csv().getBytes(StandardCharsets.UTF_8));
        try {
            plot(out, front);
        } catch (IOException e) {
            throw new NeuralOdeException("cannot write " + out.path("pareto.png") + ": " + OutputDir.describe(e));
        }
    }

    /** A configuration is a point's settings without its seed: its seeds are averaged. */
    private List<ParetoFront.Point> front() {
        Map<String, List<Map<String, Object>>> configs = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            configs.computeIfAbsent(configuration(r), k -> new ArrayList<>()).add(r);
        }
        List<ParetoFront.Input> in = new ArrayList<>();
        configs.forEach((label, rs) -> in.add(new ParetoFront.Input(label,
                rs.stream().mapToDouble(r -> metric(r, target.cost)).toArray(),
                rs.stream().mapToDouble(r -> metric(r, target.quality)).toArray())));
        return ParetoFront.of(in, target.higherIsBetter);
    }

    @SuppressWarnings("unchecked")
    private static String configuration(Map<String, Object> r) {
        Map<String, String> s = new LinkedHashMap<>((Map<String, String>) r.get("settings"));
        s.remove("seed");
        return s.isEmpty() ? "all" : s.toString().replaceAll("^\\{|}$", "");
    }

    /** A final metric of a row; NaN for a failed point or a metric it lacks. */
    @SuppressWarnings("unchecked")
    static double metric(Map<String, Object> r, String key) {
        Object fin = r.get("final");
        if (!(fin instanceof Map)) {
            return Double.NaN;
        }
        Object v = ((Map<String, Object>) fin).get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @SuppressWarnings("unchecked")
    private String csv() {
        TreeSet<String> metrics = new TreeSet<>();
        for (Map<String, Object> r : rows) {
            if (r.get("final") instanceof Map<?, ?> fin) {
                ((Map<String, Object>) fin).keySet().forEach(metrics::add);
            }
        }
        metrics.remove(target.cost);
        metrics.remove(target.quality);
        List<String> header = new ArrayList<>(List.of("index"));
        header.addAll(grid.axes().keySet());
        header.addAll(List.of("status", target.cost, target.quality, "seconds"));
        header.addAll(metrics);
        header.add("error");
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (Map<String, Object> r : rows) {
            List<String> cells = new ArrayList<>(List.of(String.valueOf(r.get("index"))));
            Map<String, String> s = (Map<String, String>) r.get("settings");
            grid.axes().keySet().forEach(k -> cells.add(quote(s.get(k))));
            cells.add(String.valueOf(r.get("status")));
            cells.add(number(metric(r, target.cost)));
            cells.add(number(metric(r, target.quality)));
            cells.add(r.get("seconds") instanceof Number n ? number(n.doubleValue()) : "");
            metrics.forEach(k -> cells.add(number(metric(r, k))));
            cells.add(r.get("error") == null ? "" : quote(String.valueOf(r.get("error"))));
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    private void plot(OutputDir out, List<ParetoFront.Point> front) throws IOException {
        Png.ensureHeadless();
        XYChart chart = new XYChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT)
                .title(target.label() + " sweep: " + target.quality + " vs " + target.cost + " (seed means)")
                .xAxisTitle(target.cost).yAxisTitle(target.quality).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        List<ParetoFront.Point> all = front.stream().filter(p -> Double.isFinite(p.costMean())
                && Double.isFinite(p.qualityMean())).toList();
        if (all.isEmpty()) {
            return; // every point failed: the table says so, there is nothing to draw
        }
        XYSeries pts = chart.addSeries("configurations", all.stream().mapToDouble(ParetoFront.Point::costMean).toArray(),
                all.stream().mapToDouble(ParetoFront.Point::qualityMean).toArray());
        pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        pts.setMarker(SeriesMarkers.CIRCLE);
        pts.setMarkerColor(new Color(120, 120, 120));
        List<ParetoFront.Point> on = all.stream().filter(ParetoFront.Point::onFront)
                .sorted(java.util.Comparator.comparingDouble(ParetoFront.Point::costMean)).toList();
        XYSeries line = chart.addSeries("Pareto front", on.stream().mapToDouble(ParetoFront.Point::costMean).toArray(),
                on.stream().mapToDouble(ParetoFront.Point::qualityMean).toArray());
        line.setMarker(SeriesMarkers.DIAMOND);
        line.setLineColor(new Color(200, 60, 40));
        line.setMarkerColor(new Color(200, 60, 40));
        Png.write(chart, out.path("pareto.png"));
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : Double.toString(v);
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%s", v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
