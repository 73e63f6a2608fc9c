package example;

import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.nn.loss.Accuracy;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.ClassifierTrainer;
import org.neuralode4j.train.TrainConfig;

/** Trains a small augmented neural-ODE classifier on two moons and prints its test accuracy. */
public final class FirstClassifier {
    public static void main(String[] args) {
        LabelledSet train = Toys2d.labelled("moons", 256, 0);
        LabelledSet test = Toys2d.labelled("moons", 256, 1);

        // 2 features + 1 zero channel, a 32-wide tanh field with one hidden layer, 2 classes (one logit).
        ClassifierSpec spec = new ClassifierSpec(2, 1, 32, 1, Activation.TANH, TimeInput.IGNORE, 2);
        AugmentedNodeClassifier model = new AugmentedNodeClassifier(spec, Rng.seeded(0));
        SolverConfig solver = SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-3, 1e-3));

        // 10 epochs of batches of 64, Adam at lr 0.03, seed 0, gradients by backpropagating through the solver.
        TrainConfig cfg = new TrainConfig(10, 64, 3e-2, 0, solver, new Direct());
        ClassifierTrainer.train(model, train, cfg,
                epoch -> System.out.printf("epoch %d  loss %.4f%n", epoch.epoch(), epoch.loss()), null);

        try (var noGrad = GradMode.noGrad()) {
            Tensor logits = model.logits(model.flow(test.x(), solver, new Direct()));
            System.out.printf("test accuracy %.3f%n", Accuracy.binary(logits, test.binaryTargets()));
        }
    }
}
