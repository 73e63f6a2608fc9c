package org.neuralode4j.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neuralode4j.cli.options.DataOptions;
import org.neuralode4j.cli.run.HeldOut;
import org.neuralode4j.cli.run.ModelFiles;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.train.ClassifierTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval --model DIR}: accuracy and NFE of a saved model on a data set's test split, split and mapped as training
 * did ({@link HeldOut}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Accuracy and NFE of a trained model on a data set.")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The --out folder of a train run.")
    Path model;

    @Mixin
    DataOptions data = new DataOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (org.neuralode4j.cli.run.ConvModelFiles.isConv(model)) {
            org.neuralode4j.cli.run.ImageAnalysis.eval(model, data, System.out);
            return 0;
        }
        ModelFiles.Loaded m = ModelFiles.load(model);
        LabelledSet test = HeldOut.testSet(m, data, spec.commandLine().getParseResult().hasMatchedOption("--test-fraction"),
                System.err);
        ClassifierTrainer.Evaluation e = ClassifierTrainer.evaluate(m.model(), test, m.solver().config());
        String what = org.neuralode4j.cli.run.LogNormImages.box(m.data()) != null ? m.data().dataset() + " test images"
                : "points";
        System.out.printf("accuracy %.4f on %d %s, NFE %d%n", e.accuracy(), test.size(), what, e.nfe());
        return 0;
    }
}
