package org.neuralode4j.cli.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neuralode4j.tensor.Tensor;

/**
 * The standard figures of the CLI (decision regions, trajectories, training curves, samples, densities), each
 * written as one 800×600 PNG via {@link Png}. All charts are plain XY charts with real-valued axes, so regions and
 * densities are drawn as filled grid cells (XChart's heat map has categorical axes and cannot overlay points).
 */
public final class Plots {
    static {
        Png.ensureHeadless(); // before any XChart/AWT class initialises
    }

    /** Image width in pixels. */
    public static final int WIDTH = 800;
    /** Image height in pixels. */
    public static final int HEIGHT = 600;

    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44), new Color(255, 127, 14),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)};
    /** Region colours for P(class 1) = 0, 0.5, 1: pale versions of the class-0 / class-1 colours around white. */
    private static final Color REGION_0 = new Color(150, 190, 225);
    private static final Color REGION_1 = new Color(240, 150, 140);
    private static final int REGION_BINS = 20;
    /** Viridis anchor colours for density heat maps. */
    private static final Color[] VIRIDIS = {
        new Color(68, 1, 84), new Color(59, 82, 139), new Color(33, 145, 140), new Color(94, 201, 98),
        new Color(253, 231, 37)};
    private static final int DENSITY_BINS = 24;

    private Plots() {
    }

    // ---------------------------------------------------------------- figures

    /**
     * Decision regions of a binary classifier over a rectangle, with the data on top.
     *
     * @param probability called once with all {@code gridSize²} cell centres as rows {@code [x, y]}; returns
     *                    P(class 1) per row (values are clamped to [0, 1])
     * @param points      data points, first two coordinates are drawn; may be empty
     * @param labels      class of each point (any non-negative ints; 0 and 1 get the region colours)
     */
    public static void decisionRegions(Path out, String title, double[] xRange, double[] yRange, int gridSize,
            Function<double[][], double[]> probability, double[][] points, int[] labels) throws IOException {
        checkRange("xRange", xRange);
        checkRange("yRange", yRange);
        if (gridSize < 2) {
            throw new IllegalArgumentException("gridSize must be >= 2, got " + gridSize);
        }
        checkLabels(points.length, labels);
        double[] xs = cellCenters(xRange, gridSize);
        double[] ys = cellCenters(yRange, gridSize);
        double[][] grid = new double[gridSize * gridSize][];
        for (int i = 0; i < gridSize; i++) {
            for (int j = 0; j < gridSize; j++) {
                grid[i * gridSize + j] = new double[] {xs[i], ys[j]};
            }
        }
        double[] p = probability.apply(grid);
        if (p == null || p.length != grid.length) {
            throw new IllegalArgumentException("probability returned " + (p == null ? "null" : p.length + " values")
                    + " for " + grid.length + " grid points");
        }
        XYChart chart = newChart(title, "x1", "x2");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        fixAxes(chart, xRange, yRange);
        CellGrid cells = new CellGrid(gridSize, gridSize);
        List<List<double[]>> bins = new ArrayList<>();
        for (int b = 0; b < REGION_BINS; b++) {
            bins.add(new ArrayList<>());
        }
        for (int k = 0; k < grid.length; k++) {
            if (!Double.isNaN(p[k])) {
                double v = Math.min(1, Math.max(0, p[k]));
                bins.get(Math.min(REGION_BINS - 1, (int) (v * REGION_BINS))).add(grid[k]);
            }
        }
        for (int b = 0; b < REGION_BINS; b++) {
            double center = (b + 0.5) / REGION_BINS;
            Color c = center < 0.5 ? mix(REGION_0, Color.WHITE, center * 2) : mix(Color.WHITE, REGION_1, center * 2 - 1);
            String name = b == 0 ? "P(class 1) < " + fmt(1.0 / REGION_BINS)
                    : b == REGION_BINS - 1 ? "P(class 1) > " + fmt(1 - 1.0 / REGION_BINS) : "region " + b;
            addCells(chart, name, bins.get(b), c, cells, b == 0 || b == REGION_BINS - 1, xRange, yRange);
        }
        addLabelledPoints(chart, points, labels, "class ");
        Png.write(cells.sized(chart), out);
    }

    /**
     * Trajectories of points through time (e.g. ODE solutions), one line per point coloured by its label, with hollow
     * markers at the start and filled markers at the end.
     *
     * @param paths  {@code paths[i][k]} = state of point {@code i} at time step {@code k}; the first two coordinates
     *               are drawn
     * @param labels class of each path, or {@code null} for a single colour
     */
    public static void trajectories(Path out, String title, double[][][] paths, int[] labels) throws IOException {
        if (labels != null) {
            checkLabels(paths.length, labels);
        }
        XYChart chart = newChart(title, "x1", "x2");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        float alpha = paths.length > 100 ? 0.35f : paths.length > 20 ? 0.6f : 0.9f;
        TreeSet<Integer> legendDone = new TreeSet<>();
        Map<Integer, double[][]> ends = new LinkedHashMap<>();
        List<double[]> starts = new ArrayList<>();
        for (int i = 0; i < paths.length; i++) {
            double[][] path = paths[i];
            if (path.length == 0) {
                continue;
            }
            int label = labels == null ? 0 : labels[i];
            double[] x = new double[path.length];
            double[] y = new double[path.length];
            for (int k = 0; k < path.length; k++) {
                x[k] = path[k][0];
                y[k] = path[k][1];
            }
            boolean first = legendDone.add(label);
            String name = first ? (labels == null ? "trajectory" : "class " + label) : "path " + i;
            XYSeries s = chart.addSeries(name, x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(withAlpha(color(label), alpha));
            s.setLineStyle(new BasicStroke(1.3f)); // solid: XChart would otherwise cycle dash patterns
            s.setShowInLegend(first);
            starts.add(path[0]);
            ends.merge(label, new double[][] {path[path.length - 1]}, Plots::concat);
        }
        if (!starts.isEmpty()) {
            XYSeries s = scatterSeries(chart, "start", starts.toArray(new double[0][]), new Color(60, 60, 60));
            s.setMarker(new Ring());
        }
        boolean endInLegend = true;
        for (Map.Entry<Integer, double[][]> e : ends.entrySet()) {
            XYSeries s = scatterSeries(chart, endInLegend ? "end" : "end " + e.getKey(), e.getValue(), color(e.getKey()));
            s.setMarker(new OutlinedCircle());
            s.setShowInLegend(endInLegend);
            endInLegend = false;
        }
        Png.write(chart, out);
    }

    /** Per-epoch curves (loss, NFE forward/backward, ...): series {@code name -> values}, x = 1..n; linear y axis. */
    public static void curve(Path out, String title, String xLabel, String yLabel, Map<String, double[]> series)
            throws IOException {
        curve(out, title, xLabel, yLabel, series, false);
    }

    /**
     * Per-epoch curves with x = 1..n; {@code logY} for quantities spanning decades (needs positive values).
     * Non-finite values are left out of the line.
     */
    public static void curve(Path out, String title, String xLabel, String yLabel, Map<String, double[]> series,
            boolean logY) throws IOException {
        Map<String, double[][]> xy = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] v = e.getValue();
            double[] x = new double[v.length];
            for (int k = 0; k < v.length; k++) {
                x[k] = k + 1;
            }
            xy.put(e.getKey(), new double[][] {x, v});
        }
        lines(out, title, xLabel, yLabel, xy, logY);
    }

    /**
     * Lines through explicit points: series {@code name -> {xs, ys}} (equal lengths), e.g. accuracy against attack
     * radius or an empirical distribution function. Points with a non-finite coordinate (or y ≤ 0 under
     * {@code logY}) are left out of the line.
     */
    public static void lines(Path out, String title, String xLabel, String yLabel, Map<String, double[][]> series,
            boolean logY) throws IOException {
        lines(out, title, xLabel, yLabel, series, logY, null);
    }

    /**
     * As {@link #lines(Path, String, String, String, Map, boolean)} with a fixed y range (e.g. [0, 1] for fractions),
     * which also keeps XChart from labelling every distinct y value of a step function.
     */
    public static void lines(Path out, String title, String xLabel, String yLabel, Map<String, double[][]> series,
            boolean logY, double[] yRange) throws IOException {
        XYChart chart = newChart(title, xLabel, yLabel);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(logY);
        // XChart puts the ticks on the data's own x values when they are equally spaced; keep those labels short
        chart.getStyler().setXAxisDecimalPattern("0.###");
        if (yRange != null) {
            checkRange("yRange", yRange);
            chart.getStyler().setYAxisMin(yRange[0]);
            chart.getStyler().setYAxisMax(yRange[1]);
            chart.getStyler().setYAxisDecimalPattern("0.0#");
        }
        int c = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            double[] x = e.getValue()[0];
            double[] v = e.getValue()[1];
            if (x.length != v.length) {
                throw new IllegalArgumentException("series '" + e.getKey() + "': " + x.length + " x values but "
                        + v.length + " y values");
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int k = 0; k < v.length; k++) {
                if (Double.isFinite(x[k]) && Double.isFinite(v[k]) && (!logY || v[k] > 0)) {
                    xs.add(x[k]);
                    ys.add(v[k]);
                }
            }
            if (xs.isEmpty()) {
                xs.add(1.0);
                ys.add(logY ? 1.0 : 0.0); // XChart rejects empty series; keep the legend entry
            }
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setLineColor(PALETTE[c % PALETTE.length]);
            s.setMarkerColor(PALETTE[c % PALETTE.length]);
            s.setLineStyle(new BasicStroke(2f));
            s.setMarker(v.length <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            c++;
        }
        Png.write(chart, out);
    }

    /** Point clouds ({@code name -> [n][2]}), e.g. data vs model samples; translucent markers show overlap. */
    public static void scatter(Path out, String title, Map<String, double[][]> sets) throws IOException {
        XYChart chart = newChart(title, "x1", "x2");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(5);
        int total = 0;
        for (double[][] pts : sets.values()) {
            total += pts.length;
        }
        float alpha = total > 2000 ? 0.35f : total > 300 ? 0.55f : 0.85f;
        int c = 0;
        for (Map.Entry<String, double[][]> e : sets.entrySet()) {
            XYSeries s = scatterSeries(chart, e.getKey(), e.getValue(), withAlpha(PALETTE[c % PALETTE.length], alpha));
            s.setMarker(SeriesMarkers.CIRCLE);
            c++;
        }
        Png.write(chart, out);
    }

    /**
     * A scalar field (e.g. a model density) as a heat map with a viridis colour scale; the legend lists a few levels.
     *
     * @param values {@code values[i][j]} = value of cell {@code i} along x and {@code j} along y, cells tiling the
     *               rectangle, centres at {@link #cellCenters}; NaN cells are left blank
     */
    public static void densityHeatmap(Path out, String title, double[] xRange, double[] yRange, double[][] values)
            throws IOException {
        checkRange("xRange", xRange);
        checkRange("yRange", yRange);
        int nx = values.length;
        int ny = nx == 0 ? 0 : values[0].length;
        if (nx < 2 || ny < 2) {
            throw new IllegalArgumentException("values must be at least 2x2, got " + nx + "x" + ny);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            if (row.length != ny) {
                throw new IllegalArgumentException("values must be rectangular");
            }
            for (double v : row) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        XYChart chart = newChart(title, "x1", "x2");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        fixAxes(chart, xRange, yRange);
        double[] xs = cellCenters(xRange, nx);
        double[] ys = cellCenters(yRange, ny);
        CellGrid cells = new CellGrid(nx, ny);
        List<List<double[]>> bins = new ArrayList<>();
        for (int b = 0; b < DENSITY_BINS; b++) {
            bins.add(new ArrayList<>());
        }
        double span = hi > lo ? hi - lo : 1;
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                double v = values[i][j];
                if (Double.isFinite(v)) {
                    int b = Math.min(DENSITY_BINS - 1, (int) ((v - lo) / span * DENSITY_BINS));
                    bins.get(b).add(new double[] {xs[i], ys[j]});
                }
            }
        }
        int legendStep = DENSITY_BINS / 6;
        for (int b = 0; b < DENSITY_BINS; b++) {
            double t = (b + 0.5) / DENSITY_BINS;
            boolean legend = b % legendStep == 0 || b == DENSITY_BINS - 1;
            String name = legend ? "≈ " + fmt(lo + t * span) : "level " + b;
            addCells(chart, name, bins.get(b), viridis(t), cells, legend, xRange, yRange);
        }
        Png.write(cells.sized(chart), out);
    }

    /**
     * Point clouds side by side in one 800×600 image (e.g. data | model samples): one square scatter panel per entry
     * ({@code panel title -> [n][2]}), all on the same fixed axes so that shapes compare directly.
     */
    public static void scatterPanels(Path out, String title, Map<String, double[][]> panels, double[] xRange,
            double[] yRange) throws IOException {
        checkRange("xRange", xRange);
        checkRange("yRange", yRange);
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("scatterPanels: no panels");
        }
        int top = 44;
        int side = Math.min(WIDTH / panels.size(), HEIGHT - top);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(WIDTH, HEIGHT,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(30, 30, 30));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            int tw = g.getFontMetrics().stringWidth(title);
            g.drawString(title, Math.max(4, (WIDTH - tw) / 2), 28);
            int c = 0;
            for (Map.Entry<String, double[][]> e : panels.entrySet()) {
                XYChart chart = newChart(e.getKey(), "x1", "x2", side, side);
                chart.getStyler().setLegendVisible(false);
                chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
                chart.getStyler().setMarkerSize(3);
                chart.getStyler().setXAxisMin(xRange[0]);
                chart.getStyler().setXAxisMax(xRange[1]);
                chart.getStyler().setYAxisMin(yRange[0]);
                chart.getStyler().setYAxisMax(yRange[1]);
                chart.getStyler().setXAxisDecimalPattern("0.#");
                chart.getStyler().setYAxisDecimalPattern("0.#");
                double[][] pts = e.getValue();
                float alpha = pts.length > 2000 ? 0.3f : pts.length > 300 ? 0.5f : 0.85f;
                if (pts.length == 0) {
                    throw new IllegalArgumentException("scatterPanels: panel '" + e.getKey() + "' has no points");
                }
                XYSeries s = scatterSeries(chart, e.getKey(), pts, withAlpha(PALETTE[c % PALETTE.length], alpha));
                s.setMarker(SeriesMarkers.CIRCLE);
                g.drawImage(BitmapEncoder.getBufferedImage(chart), c * (WIDTH / panels.size()) + (WIDTH / panels.size() - side) / 2,
                        top + (HEIGHT - top - side) / 2, null);
                c++;
            }
        } catch (RuntimeException | LinkageError | InternalError ex) {
            if (Png.isFontProblem(ex)) {
                throw new IOException("cannot render " + out + ": " + Png.FONT_HINT + " (" + ex + ")", ex);
            }
            throw ex;
        } finally {
            g.dispose();
        }
        writeImage(img, out);
    }

    // ---------------------------------------------------------------- helpers for callers

    /** Centres of {@code n} equal cells tiling {@code range}; evaluate a field here for {@link #densityHeatmap}. */
    public static double[] cellCenters(double[] range, int n) {
        checkRange("range", range);
        double[] c = new double[n];
        double d = (range[1] - range[0]) / n;
        for (int i = 0; i < n; i++) {
            c[i] = range[0] + (i + 0.5) * d;
        }
        return c;
    }

    /** Rows of a rank-2 {@code [n, d]} tensor (e.g. a batch of 2-d points). */
    public static double[][] rows(Tensor t) {
        if (t.rank() != 2) {
            throw new IllegalArgumentException("rows: expected a rank-2 tensor, got rank " + t.rank());
        }
        int n = t.dim(0);
        int d = t.dim(1);
        double[][] r = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                r[i][j] = t.getFlat(i * d + j);
            }
        }
        return r;
    }

    /**
     * Per-point paths for {@link #trajectories} from the states at successive time steps (each {@code [n, d]}, d >= 2):
     * result {@code [n][steps][2]}.
     */
    public static double[][][] paths(List<Tensor> states) {
        if (states.isEmpty()) {
            return new double[0][][];
        }
        int n = states.get(0).dim(0);
        double[][][] p = new double[n][states.size()][2];
        for (int k = 0; k < states.size(); k++) {
            Tensor s = states.get(k);
            if (s.rank() != 2 || s.dim(0) != n || s.dim(1) < 2) {
                throw new IllegalArgumentException("paths: state " + k + " is not [" + n + ", >=2]");
            }
            int d = s.dim(1);
            for (int i = 0; i < n; i++) {
                p[i][k][0] = s.getFlat(i * d);
                p[i][k][1] = s.getFlat(i * d + 1);
            }
        }
        return p;
    }

    // ---------------------------------------------------------------- internals

    private static XYChart newChart(String title, String xLabel, String yLabel) {
        return newChart(title, xLabel, yLabel, WIDTH, HEIGHT);
    }

    private static XYChart newChart(String title, String xLabel, String yLabel, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        XYStyler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(225, 225, 225));
        st.setLegendBorderColor(new Color(200, 200, 200));
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setMarkerSize(7);
        st.setAntiAlias(true);
        return chart;
    }

    /** Writes a composed image as PNG atomically (temporary file beside the target, then a rename). */
    static void writeImage(java.awt.image.BufferedImage img, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        java.nio.file.Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
        try {
            if (!javax.imageio.ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("cannot write " + file + ": no PNG writer available");
            }
            java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    private static void fixAxes(XYChart chart, double[] xRange, double[] yRange) {
        XYStyler st = chart.getStyler();
        st.setXAxisMin(xRange[0]);
        st.setXAxisMax(xRange[1]);
        st.setYAxisMin(yRange[0]);
        st.setYAxisMax(yRange[1]);
        st.setPlotContentSize(1.0); // cells fill the plot exactly
        st.setPlotGridLinesVisible(false);
    }

    /**
     * Adds one colour level of cells. Cell series stay out of the legend (the legend would paint them with the cell
     * marker and spoil its measurement); a legend entry is a separate square-marker series with one point far outside
     * the fixed axis range, which the plot clips away.
     */
    private static void addCells(XYChart chart, String name, List<double[]> pts, Color c, CellGrid cells,
            boolean inLegend, double[] xRange, double[] yRange) {
        if (!pts.isEmpty()) {
            XYSeries s = scatterSeries(chart, name + " cells", pts.toArray(new double[0][]), c);
            s.setMarker(cells.marker());
            s.setShowInLegend(false);
        }
        if (inLegend) {
            double[] off = {xRange[0] - 10 * (xRange[1] - xRange[0]), yRange[0] - 10 * (yRange[1] - yRange[0])};
            XYSeries s = scatterSeries(chart, name, new double[][] {off}, c);
            s.setMarker(SeriesMarkers.SQUARE);
        }
    }

    private static void addLabelledPoints(XYChart chart, double[][] points, int[] labels, String prefix) {
        Map<Integer, List<double[]>> byLabel = new java.util.TreeMap<>();
        for (int i = 0; i < points.length; i++) {
            byLabel.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(points[i]);
        }
        for (Map.Entry<Integer, List<double[]>> e : byLabel.entrySet()) {
            XYSeries s = scatterSeries(chart, prefix + e.getKey(), e.getValue().toArray(new double[0][]),
                    color(e.getKey()));
            s.setMarker(new OutlinedCircle());
        }
    }

    private static XYSeries scatterSeries(XYChart chart, String name, double[][] pts, Color c) {
        double[] x = new double[pts.length];
        double[] y = new double[pts.length];
        for (int i = 0; i < pts.length; i++) {
            x[i] = pts[i][0];
            y[i] = pts[i][1];
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarkerColor(c);
        return s;
    }

    private static void checkRange(String what, double[] r) {
        if (r == null || r.length != 2 || !(r[0] < r[1]) || !Double.isFinite(r[0]) || !Double.isFinite(r[1])) {
            throw new IllegalArgumentException(what + " must be {min, max} with min < max");
        }
    }

    private static void checkLabels(int n, int[] labels) {
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " points but " + labels.length + " labels");
        }
    }

    private static double[][] concat(double[][] a, double[][] b) {
        double[][] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static Color color(int label) {
        return PALETTE[Math.floorMod(label, PALETTE.length)];
    }

    private static Color withAlpha(Color c, float a) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), Math.round(a * 255));
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    private static Color viridis(double t) {
        double s = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) s);
        return mix(VIRIDIS[i], VIRIDIS[i + 1], s - i);
    }

    /** Three significant digits, no trailing zeros; scientific outside [1e-3, 1e5). */
    static String fmt(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : String.valueOf(v);
        }
        if (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /**
     * Square grid cells drawn as markers. XChart gives a marker only its centre in pixels, so the cell size is
     * measured in a first, discarded render (spacing of the extreme centres) and used in the real one.
     */
    private static final class CellGrid {
        private final int nx;
        private final int ny;
        private double minX = Double.POSITIVE_INFINITY;
        private double maxX = Double.NEGATIVE_INFINITY;
        private double minY = Double.POSITIVE_INFINITY;
        private double maxY = Double.NEGATIVE_INFINITY;
        private double w = 4;
        private double h = 4;

        CellGrid(int nx, int ny) {
            this.nx = nx;
            this.ny = ny;
        }

        Marker marker() {
            return new Marker() {
                @Override
                public void paint(Graphics2D g, double x, double y, int markerSize) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                    // +1 px overlap hides antialiasing seams between neighbouring cells
                    g.fill(new Rectangle2D.Double(x - w / 2 - 0.5, y - h / 2 - 0.5, w + 1, h + 1));
                }
            };
        }

        /** Measures the cell pixel size with a throw-away render; returns the chart for chaining. */
        XYChart sized(XYChart chart) {
            BitmapEncoder.getBufferedImage(chart);
            if (maxX > minX) {
                w = (maxX - minX) / (nx - 1);
            }
            if (maxY > minY) {
                h = (maxY - minY) / (ny - 1);
            }
            return chart;
        }
    }

    /** Filled circle with a dark outline, so data points stay visible on coloured regions. */
    private static final class OutlinedCircle extends Marker {
        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            Ellipse2D.Double e = new Ellipse2D.Double(x - size / 2.0, y - size / 2.0, size, size);
            g.fill(e);
            Color fill = g.getColor();
            java.awt.Stroke stroke = g.getStroke();
            g.setColor(new Color(30, 30, 30));
            g.setStroke(new BasicStroke(1f));
            g.draw(e);
            g.setColor(fill);
            g.setStroke(stroke);
        }
    }

    /** Hollow ring, for trajectory starts (distinct from the filled end markers). */
    private static final class Ring extends Marker {
        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            java.awt.Stroke stroke = g.getStroke();
            g.setStroke(new BasicStroke(1.2f));
            g.draw(new Ellipse2D.Double(x - size / 2.0, y - size / 2.0, size, size));
            g.setStroke(stroke);
        }
    }
}
