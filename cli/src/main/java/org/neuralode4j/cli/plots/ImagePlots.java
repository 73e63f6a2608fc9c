package org.neuralode4j.cli.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Pictures of image classifiers, drawn directly with Java2D (a chart library has no matrix or image-grid chart):
 * the confusion matrix and a grid of test images captioned with predicted and true labels.
 */
public final class ImagePlots {
    private static final Color RIGHT = new Color(20, 120, 40);
    private static final Color WRONG = new Color(200, 30, 30);

    static {
        Png.ensureHeadless();
    }

    private ImagePlots() {}

    /**
     * The confusion matrix (rows true class, columns predicted), each cell shaded by its share of the row and
     * labelled with its count; the diagonal is the per-class accuracy.
     */
    public static void confusionMatrix(Path out, String title, List<String> classes, long[][] counts) throws IOException {
        int k = classes.size();
        int cell = 56;
        int left = 150;
        int top = 70;
        int bottom = 150;
        int w = left + k * cell + 30;
        int h = top + k * cell + bottom;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 12, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("rows: true class, columns: predicted class; shade = share of the row", 12, 50);
        for (int i = 0; i < k; i++) {
            long row = 0;
            for (long v : counts[i]) {
                row += v;
            }
            for (int j = 0; j < k; j++) {
                double share = row == 0 ? 0 : counts[i][j] / (double) row;
                int x = left + j * cell;
                int y = top + i * cell;
                g.setColor(shade(share, i == j));
                g.fillRect(x, y, cell, cell);
                g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                centred(g, Long.toString(counts[i][j]), x + cell / 2, y + cell / 2 + 5);
            }
            g.setColor(Color.BLACK);
            String name = classes.get(i);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(name, left - 8 - fm.stringWidth(name), top + i * cell + cell / 2 + 5);
        }
        g.setColor(new Color(160, 160, 160));
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i <= k; i++) {
            g.drawLine(left, top + i * cell, left + k * cell, top + i * cell);
            g.drawLine(left + i * cell, top, left + i * cell, top + k * cell);
        }
        g.setColor(Color.BLACK);
        for (int j = 0; j < k; j++) {
            // Column labels written downwards, so long class names fit.
            Graphics2D r = (Graphics2D) g.create();
            r.translate(left + j * cell + cell / 2 + 4, top + k * cell + 8);
            r.rotate(Math.PI / 2);
            r.drawString(classes.get(j), 0, 0);
            r.dispose();
        }
        g.dispose();
        Plots.writeImage(img, out);
    }

    /**
     * A grid of grey-level images, each scaled up and captioned "pred / true" (green when right, red when wrong).
     *
     * @param pixels    per image, its values in [0, 1], row-major, side×side
     * @param predicted predicted class per image
     * @param truth     true class per image
     */
    public static void imageGrid(Path out, String title, int side, double[][] pixels, int[] predicted, int[] truth,
                                 List<String> classes, int columns) throws IOException {
        int n = pixels.length;
        int scale = 4;
        int tile = side * scale;
        int capH = 34;
        int pad = 10;
        int colW = Math.max(tile, 120) + pad;
        int rows = (n + columns - 1) / columns;
        int top = 44;
        int w = columns * colW + pad;
        int h = top + rows * (tile + capH + pad) + pad;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, pad, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < n; i++) {
            int x0 = pad + (i % columns) * colW + (colW - pad - tile) / 2;
            int y0 = top + (i / columns) * (tile + capH + pad);
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    int v = (int) Math.round(255 * Math.max(0, Math.min(1, pixels[i][r * side + c])));
                    g.setColor(new Color(v, v, v));
                    g.fillRect(x0 + c * scale, y0 + r * scale, scale, scale);
                }
            }
            boolean ok = predicted[i] == truth[i];
            g.setColor(ok ? RIGHT : WRONG);
            g.setStroke(new BasicStroke(2f));
            g.drawRect(x0 - 1, y0 - 1, tile + 1, tile + 1);
            int cx = x0 + tile / 2;
            centred(g, "pred: " + classes.get(predicted[i]), cx, y0 + tile + 14);
            g.setColor(Color.DARK_GRAY);
            centred(g, "true: " + classes.get(truth[i]), cx, y0 + tile + 28);
        }
        g.dispose();
        Plots.writeImage(img, out);
    }

    private static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        return g;
    }

    private static void centred(Graphics2D g, String s, int cx, int baseline) {
        g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
    }

    /** White to blue for the diagonal, white to red off it, by share in [0, 1]. */
    private static Color shade(double share, boolean diagonal) {
        double t = Math.sqrt(Math.max(0, Math.min(1, share)));
        Color full = diagonal ? new Color(30, 90, 170) : new Color(200, 50, 40);
        return new Color((int) (255 + t * (full.getRed() - 255)), (int) (255 + t * (full.getGreen() - 255)),
                (int) (255 + t * (full.getBlue() - 255)));
    }
}
