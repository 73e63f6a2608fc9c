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
    private ProgressBar pb;
    private int epoch = 1;

    Progress(boolean enabled, int epochs, PrintStream log) {
        this.bar = enabled && System.console() != null;
        this.epochs = epochs;
        this.log = log;
    }

    void iteration(int it, int perEpoch, double loss, long nfe) {
        if (!bar) {
            return;
        }
        if (pb == null) {
            pb = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + epochs).setInitialMax(perEpoch)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().build();
        }
        pb.stepTo(it);
        pb.setExtraMessage(String.format(" loss %.4f nfe %d", loss, nfe));
    }

    void epochDone(EpochMetrics m) {
        if (pb != null) {
            pb.setExtraMessage(String.format(" loss %.4f acc %.3f nfe %.1f", m.loss(), m.trainAccuracy(), m.meanNfeForward()));
            pb.close();
            pb = null;
        }
        if (!bar) {
            log.printf("epoch %d/%d  loss %.4f  train acc %.4f  nfe fwd %.1f bwd %.1f  %.2f s%n", m.epoch(), epochs, m.loss(),
                    m.trainAccuracy(), m.meanNfeForward(), m.meanNfeBackward(), m.seconds());
        }
        epoch = m.epoch() + 1;
    }

    void close() {
        if (pb != null) {
            pb.close();
        }
    }
}
