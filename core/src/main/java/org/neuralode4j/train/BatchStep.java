package org.neuralode4j.train;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.OdeClassifier;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.regularize.RegularisedDynamics;
import org.neuralode4j.tensor.Tensor;

/**
 * One mini-batch of classifier training up to (not including) the optimiser update: solve, loss, regulariser
 * penalty, gradients with respect to the parameters, predictions and NFE. Pure with respect to the model, so
 * {@link DataParallel} can run several on different threads over shards of one batch.
 */
public final class BatchStep {
    /**
     * What one batch (or shard) gave.
     *
     * @param loss        the minimised loss (data loss + penalty)
     * @param dataLoss    the data loss alone (BCE or cross-entropy)
     * @param regularisers per regulariser, mean_b r_k(t1), unweighted
     * @param grads       ∂loss/∂parameter, in {@link OdeClassifier#parameters()} order
     * @param predictions predicted class per row
     * @param nfeForward  forward NFE of the solve
     * @param nfeBackward backward NFE (0 for direct)
     */
    public record Result(double loss, double dataLoss, double[] regularisers, List<Tensor> grads, int[] predictions,
                         long nfeForward, long nfeBackward) {}

    private BatchStep() {}

    /**
     * Runs one batch. {@code rd} is the regularised field for this batch (its noise drawn by the caller, so that
     * the draws do not depend on thread timing), or null without regularisers.
     */
    public static Result run(OdeClassifier model, LabelledSet b, SolverConfig solver, GradientMethod method,
                             RegularisedDynamics rd) {
        Solution s = rd != null ? model.flow(b.x(), solver, method, rd) : model.flow(b.x(), solver, method);
        Tensor logits = model.logits(s);
        Tensor loss = ClassifierTrainer.loss(model, logits, b);
        double dataLoss = loss.item();
        double[] regs = new double[rd == null ? 0 : s.last().size() - 1];
        if (rd != null) {
            for (int k = 0; k < regs.length; k++) {
                regs[k] = Ops.mean(s.last(1 + k)).item();
            }
            loss = Ops.add(loss, rd.penalty(s.last()));
        }
        List<Parameter> params = model.parameters();
        List<Tensor> values = new ArrayList<>(params.size());
        for (Parameter p : params) {
            values.add(p.value());
        }
        double value = loss.item();
        // A non-finite loss is reported by the caller with its epoch; its gradients are never used.
        List<Tensor> grads = Double.isFinite(value) ? Autograd.grad(loss, values) : List.of();
        return new Result(value, dataLoss, regs, grads, model.predict(logits), s.stats().nfe(),
                s.stats().backward() == null ? 0 : s.stats().backward().nfe());
    }
}
