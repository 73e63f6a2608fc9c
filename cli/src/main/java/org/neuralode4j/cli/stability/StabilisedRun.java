package org.neuralode4j.cli.stability;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.run.ClassifierRun;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.LogNormClassifier;
import org.neuralode4j.models.NodeClassifier;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.train.StabilisedTraining;
import org.neuralode4j.train.ClassifierTrainer;
import org.neuralode4j.train.EpochMetrics;
import org.neuralode4j.train.TrainConfig;

/**
 * {@code train --stabilize post|interleaved}: the schedule of stability.md §4.1 with the baseline measured after
 * training and the report of §4.3 written beside the model.
 */
public final class StabilisedRun {
    /** Test points for trajectories and attacks (evaluation.md §6's N_eval for 2-D data). */
    static final int POINTS = 256;
    /** The image ε list of evaluation.md §2.4. */
    static final double[] EPS_IMAGES = {0, 0.01, 0.02, 0.05, 0.1, 0.2};

    private StabilisedRun() {}

    /** The ε list for a model's input dimension (2-D data or images). */
    static double[] epsFor(NodeClassifier model) {
        return model.inputDim() == 2 ? ModelMeasure.EPS_2D : EPS_IMAGES;
    }

    public static List<EpochMetrics> train(LogNormClassifier model, ClassifierRun.Setup s, TrainConfig cfg,
                                           OutputDir out, Consumer<EpochMetrics> onEpoch,
                                           ClassifierTrainer.IterationListener onIteration, PrintStream log) {
        LabelledSet test = s.test();
        SolverConfig solver = cfg.solver();
        org.neuralode4j.analysis.Attacks.Box box = org.neuralode4j.cli.run.LogNormImages.box(s.data());
        ModelMeasure[] at = new ModelMeasure[2];
        StabilisedTraining.Outcome o = StabilisedTraining.run(model, s.train(), cfg, s.stabilise(),
                new StabilisedTraining.Phases() {
                    @Override
                    public void afterTraining() {
                        at[0] = ModelMeasure.of(model, test, solver, POINTS, epsFor(model), box, s.seed());
                    }

                    @Override
                    public void afterStabilise() {
                        at[1] = new ModelMeasure(ClassifierTrainer.evaluate(model, test, solver).accuracy(), null,
                                new double[0], new double[0], new double[0]);
                    }
                }, onEpoch, onIteration);
        ModelMeasure after = ModelMeasure.of(model, test, solver, POINTS, epsFor(model), box, s.seed());
        StabilityReport r = new StabilityReport(s.stabilise().options(), s.stabilise().schedule(),
                s.stabilise().fineTune(), o.interleaved(), o.post(), o.fineTune(), at[0], at[1], after,
                o.stabiliseSeconds());
        r.write(out);
        log.print(r.text());
        return o.training();
    }
}
