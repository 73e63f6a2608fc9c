package org.neuralode4j.sensitivity;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.AutodiffException;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.tensor.Tensor;

/**
 * Turns a values-only forward solve into differentiable outputs whose gradient is computed by a backward solve.
 *
 * <p>All outputs after the first are packed into one recorded tensor (a node has one output); each output is a
 * slice of it, so the cotangents of every output time arrive together in the node's rule, which unpacks them and
 * runs the adjoint. Output 0 is y0 itself. The rule is not made of ops: a create-graph sweep through it fails
 * naming the method (use DIRECT for higher-order gradients through a solve; gradients inside the dynamics work).
 */
final class AdjointOutputs {
    private AdjointOutputs() {}

    /** The backward solve: cotangents g[j][c] for outputs j = 1..N in, gradients for y0 components then params out. */
    interface Backward {
        Tensor[] run(List<List<Tensor>> g);
    }

    static Solution wrap(String method, Solution values, List<Tensor> y0, List<Tensor> params, Backward backward) {
        int nOut = values.outputCount();
        int comps = y0.size();
        long total = 0;
        for (int j = 1; j < nOut; j++) {
            for (Tensor t : values.state(j)) {
                total += t.size();
            }
        }
        double[] packed = new double[(int) total];
        int at = 0;
        for (int j = 1; j < nOut; j++) {
            for (Tensor t : values.state(j)) {
                t.copyTo(0, packed, at, t.size());
                at += t.size();
            }
        }
        List<Tensor> inputs = new ArrayList<>(y0);
        inputs.addAll(params);
        List<List<Tensor>> shapes = new ArrayList<>();
        for (int j = 0; j < nOut; j++) {
            shapes.add(values.state(j));
        }
        Tensor node = Autograd.record("adjoint:" + method, Tensor.of(y0.get(0).dtype(), packed, packed.length), (n, g, needs) -> {
            if (GradMode.isEnabled()) {
                throw new AutodiffException("grad: the " + method + " gradient of a solve is first-order only"
                        + " (createGraph=true through it is not supported); use the DIRECT method for higher-order"
                        + " gradients through a solve");
            }
            List<List<Tensor>> gs = new ArrayList<>();
            int off = 0;
            for (int j = 1; j < nOut; j++) {
                List<Tensor> gj = new ArrayList<>(comps);
                for (Tensor like : shapes.get(j)) {
                    gj.add(Ops.reshape(Ops.slice(g, 0, off, off + like.size()), like.shape()));
                    off += like.size();
                }
                gs.add(gj);
            }
            return backward.run(gs);
        }, inputs.toArray(new Tensor[0]));
        List<List<Tensor>> outputs = new ArrayList<>(nOut);
        outputs.add(y0);
        int off = 0;
        for (int j = 1; j < nOut; j++) {
            List<Tensor> oj = new ArrayList<>(comps);
            for (Tensor like : values.state(j)) {
                oj.add(node.requiresGrad() ? Ops.reshape(Ops.slice(node, 0, off, off + like.size()), like.shape()) : like);
                off += like.size();
            }
            outputs.add(oj);
        }
        return new Solution(values.times(), outputs, values.status(), values.stats(), values.dense(),
                column(values.stepSequence(), 0), column(values.stepSequence(), 1));
    }

    private static double[] column(double[][] rows, int c) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i][c];
        }
        return out;
    }
}
