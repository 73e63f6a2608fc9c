package org.neuralode4j.cli.plots;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes an XChart chart as a PNG file, atomically: a reader (report, browser, CI artifact upload) never sees a
 * half-written image, and a failed render leaves the previous file untouched.
 *
 * <p>Loading this class forces {@code java.awt.headless=true} (unless set explicitly) because plots are rendered
 * on servers and in CI without a display; the property must be set before AWT initialises.
 */
public final class Png {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Install hint shown when the JDK cannot find any font to draw text with. */
    static final String FONT_HINT = "no usable fonts found; install fontconfig and fonts-dejavu-core "
            + "(e.g. apt-get install -y fontconfig fonts-dejavu-core)";

    private Png() {
    }

    /** Triggers the static initialiser; call early (e.g. from {@code main}) so headless mode is set before AWT loads. */
    public static void ensureHeadless() {
        // the work happens in the static initialiser
    }

    /**
     * Renders {@code chart} to {@code file}: into a temporary file in the same directory, then an atomic rename over
     * the target. Missing parent directories are created. On failure the temporary file is deleted.
     *
     * @throws IOException when rendering or writing fails; when fonts are missing the message says what to install
     */
    public static void write(Chart<?, ?> chart, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            makeWorldReadable(tmp);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            } catch (RuntimeException | LinkageError | InternalError e) {
                if (isFontProblem(e)) {
                    throw new IOException("cannot render " + file + ": " + FONT_HINT + " (" + e + ")", e);
                }
                throw e;
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    // the original failure is more useful than a cleanup failure
                }
            }
        }
    }

    /** createTempFile makes owner-only files; a plot should get ordinary rw-r--r-- permissions. */
    private static void makeWorldReadable(Path tmp) throws IOException {
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // keep the file system's default
        }
    }

    /** True when a rendering failure comes from missing fonts / font configuration (headless JDK without fonts). */
    static boolean isFontProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (msg.contains("font") || msg.contains("freetype")) {
                return true;
            }
            for (StackTraceElement f : t.getStackTrace()) {
                String c = f.getClassName();
                if (c.startsWith("sun.font.") || c.startsWith("java.awt.Font") || c.contains("FontConfiguration")
                        || c.contains("FontManager")) {
                    return true;
                }
            }
        }
        return false;
    }
}
