package org.neuralode4j.cli.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.neuralode4j.train.DensityIteration;

/**
 * Progress of a density run: on a terminal (unless switched off) a bar per iteration showing the batch NLL and
 * forward/backward NFE; otherwise one plain line per checkpoint, so that logs stay readable.
 */
final class DensityProgress {
    private final boolean bar;
    private final int iterations;
    private final PrintStream log;
    private ProgressBar pb;
    private int sinceLine;
    private double nllSum;
    private double fwdSum;
    private double bwdSum;
    private double secSum;

    DensityProgress(boolean enabled, int iterations, PrintStream log) {
        this.bar = enabled && System.console() != null;
        this.iterations = iterations;
        this.log = log;
    }

    void iteration(DensityIteration m) {
        sinceLine++;
        nllSum += m.nll();
        fwdSum += m.nfeForward();
        bwdSum += m.nfeBackward();
        secSum += m.seconds();
        if (!bar) {
            return;
        }
        if (pb == null) {
            pb = new ProgressBarBuilder().setTaskName("density").setInitialMax(iterations).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200).continuousUpdate().build();
        }
        pb.stepTo(m.iteration());
        pb.setExtraMessage(String.format(Locale.ROOT, " NLL %.4f NFE %d/%d", m.nll(), m.nfeForward(), m.nfeBackward()));
    }

    /** A held-out evaluation: one line (printed above the bar on a terminal). */
    void checkpoint(int iteration, Map<String, Object> eval) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "iteration %d/%d  held-out NLL %.4f ± %.4f", iteration, iterations,
                (Double) eval.get("nll"), (Double) eval.get("nll_se")));
        if (eval.get("gap") != null) {
            sb.append(String.format(Locale.ROOT, " (true %.4f, gap %.4f)", (Double) eval.get("true_nll"), (Double) eval.get("gap")));
        }
        if (sinceLine > 0) {
            sb.append(String.format(Locale.ROOT, "  train NLL %.4f  NFE fwd %.1f bwd %.1f  %.3f s/it (means of the last %d)",
                    nllSum / sinceLine, fwdSum / sinceLine, bwdSum / sinceLine, secSum / sinceLine, sinceLine));
        }
        sinceLine = 0;
        nllSum = 0;
        fwdSum = 0;
        bwdSum = 0;
        secSum = 0;
        if (pb != null) {
            // the bar redraws itself on the current line: overwrite it with ours, then the bar continues below
            sb.insert(0, '\r').append(" ".repeat(Math.max(0, 120 - sb.length())));
        }
        log.println(sb);
    }

    void close() {
        if (pb != null) {
            pb.close();
            pb = null;
        }
    }
}
