package org.neuralode4j.cli.run;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.neuralode4j.train.EpochMetrics;

/**
 * A progress bar per epoch showing loss, accuracy and NFE — only on a terminal and unless switched off — or
 * else one plain line per epoch, so logs stay readable.
 */
final class Progress {
    private final boolean bar;
    private final int epochs;
    private final PrintStream log;
    private final int perIteration;
    private final String unit;
    private ProgressBar pb;
    private int epoch = 1;
    private long epochStart;

    Progress(boolean enabled, int epochs, PrintStream log) {
        this(enabled, epochs, log, 0, null);
    }

    /** Also shows the rate in {@code unit}s per second (e.g. images), {@code perIteration} of them per iteration. */
    Progress(boolean enabled, int epochs, PrintStream log, int perIteration, String unit) {
        this.bar = enabled && System.console() != null;
        this.epochs = epochs;
        this.log = log;
        this.perIteration = perIteration;
        this.unit = unit;
    }

    private String rate(int iterations, double seconds) {
        return unit == null || seconds <= 0 ? "" : String.format("  %.0f %s/s", iterations * perIteration / seconds, unit);
    }

    void iteration(int it, int perEpoch, double loss, long nfe) {
        if (it == 1) {
            epochStart = System.nanoTime();
        }
        if (!bar) {
            return;
        }
        if (pb == null) {
            pb = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + epochs).setInitialMax(perEpoch)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().build();
        }
        pb.stepTo(it);
        pb.setExtraMessage(String.format(" loss %.4f nfe %d", loss, nfe) + rate(it, (System.nanoTime() - epochStart) / 1e9));
    }

    void epochDone(EpochMetrics m) {
        if (pb != null) {
            pb.setExtraMessage(String.format(" loss %.4f acc %.3f nfe %.1f", m.loss(), m.trainAccuracy(), m.meanNfeForward()));
            pb.close();
            pb = null;
        }
        if (!bar) {
            log.printf("epoch %d/%d  loss %.4f  train acc %.4f  nfe fwd %.1f bwd %.1f  %.2f s%s%n", m.epoch(), epochs, m.loss(),
                    m.trainAccuracy(), m.meanNfeForward(), m.meanNfeBackward(), m.seconds(),
                    rate(m.nfeForward().length, m.seconds()));
        }
        epoch = m.epoch() + 1;
    }

    void close() {
        if (pb != null) {
            pb.close();
        }
    }
}
