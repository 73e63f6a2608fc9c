package org.neuralode4j.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.options.DataOptions;
import org.neuralode4j.cli.run.ModelFiles;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.train.ClassifierTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code eval --model DIR}: accuracy and NFE of a saved model on a data set (its test split). */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Accuracy and NFE of a trained model on a data set.")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The --out folder of a train run.")
    Path model;

    @Mixin
    DataOptions data = new DataOptions();

    @Override
    public Integer call() {
        if (org.neuralode4j.cli.run.ConvModelFiles.isConv(model)) {
            org.neuralode4j.cli.run.ImageAnalysis.eval(model, data, System.out);
            return 0;
        }
        ModelFiles.Loaded m = ModelFiles.load(model);
        LabelledSet test = data.load(0)[1];
        if (test.x().dim(1) != m.model().inputDim()) {
            throw new NeuralOdeException("the data has " + test.x().dim(1) + " feature columns, the model expects "
                    + m.model().inputDim());
        }
        ClassifierTrainer.Evaluation e = ClassifierTrainer.evaluate(m.model(), test, m.solver().config());
        System.out.printf("accuracy %.4f on %d points, NFE %d%n", e.accuracy(), test.size(), e.nfe());
        return 0;
    }
}
