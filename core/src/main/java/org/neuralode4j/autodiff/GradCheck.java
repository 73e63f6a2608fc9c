package org.neuralode4j.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.neuralode4j.tensor.Tensor;

/**
 * Compares reverse-mode gradients with central finite differences.
 *
 * <p>For a scalar function f of several tensors, the error for input i is ‖g_AD,i − g_FD,i‖₂ divided by the
 * larger of ‖g_AD‖₂ and ‖g_FD‖₂ taken over all inputs together. Apply it to
 * a function that itself calls {@link Autograd#grad} with create-graph to check second derivatives.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Per-input relative errors and the two gradients, for reporting. */
    public record Result(double[] relErrors, List<Tensor> analytic, List<Tensor> numeric) {
        /** The largest relative error over all inputs. */
        public double maxError() {
            double m = 0;
            for (double e : relErrors) {
                m = Math.max(m, e);
            }
            return m;
        }
    }

    /**
     * @param f      scalar-valued function (one-element output) of the inputs, built from recorded ops
     * @param inputs point at which to differentiate (values only; handles requiring grad are made here)
     * @param h      finite-difference step, scaled per component by max(1, |x|)
     */
    public static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double h) {
        List<Tensor> leaves = new ArrayList<>();
        for (Tensor t : inputs) {
            leaves.add(t.detach().requiringGrad());
        }
        Tensor y = f.apply(leaves);
        List<Tensor> analytic = Autograd.grad(List.of(y), leaves, null, false, true);
        List<Tensor> numeric = new ArrayList<>();
        double[] diff = new double[inputs.size()];
        double normA = 0;
        double normN = 0;
        for (int i = 0; i < inputs.size(); i++) {
            double[] x = inputs.get(i).toArray();
            double[] g = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                double x0 = x[k];
                double step = h * Math.max(1.0, Math.abs(x0));
                x[k] = x0 + step;
                double fp = evaluate(f, leaves, i, x, inputs.get(i));
                x[k] = x0 - step;
                double fm = evaluate(f, leaves, i, x, inputs.get(i));
                x[k] = x0;
                g[k] = (fp - fm) / (2 * step);
            }
            numeric.add(Tensor.of(g, inputs.get(i).shape().dims()));
            double[] a = analytic.get(i).toArray();
            for (int k = 0; k < g.length; k++) {
                diff[i] += (a[k] - g[k]) * (a[k] - g[k]);
                normA += a[k] * a[k];
                normN += g[k] * g[k];
            }
        }
        // Errors are relative to the norm of the whole gradient (all inputs together): an input whose
        // gradient is zero by structure (a linear op's second derivative) then reads as finite-difference
        // noise over the total, not as noise over zero.
        double scale = Math.max(Math.max(Math.sqrt(normA), Math.sqrt(normN)), 1e-300);
        double[] errors = new double[inputs.size()];
        for (int i = 0; i < errors.length; i++) {
            errors[i] = Math.sqrt(diff[i]) / scale;
        }
        return new Result(errors, analytic, numeric);
    }

    /** The values of several tensors, concatenated in order (for comparing whole gradients). */
    public static double[] flatten(List<Tensor> tensors) {
        int n = 0;
        for (Tensor t : tensors) {
            n += t.size();
        }
        double[] out = new double[n];
        int at = 0;
        for (Tensor t : tensors) {
            t.copyTo(0, out, at, t.size());
            at += t.size();
        }
        return out;
    }

    /** ‖g − ref‖₂ / ‖ref‖₂: the gradient error metric of gradients.md §0. */
    public static double relativeError(double[] g, double[] ref) {
        double d = 0;
        double n = 0;
        for (int i = 0; i < g.length; i++) {
            d += (g[i] - ref[i]) * (g[i] - ref[i]);
            n += ref[i] * ref[i];
        }
        return Math.sqrt(d / n);
    }

    private static double evaluate(Function<List<Tensor>, Tensor> f, List<Tensor> leaves, int i, double[] x, Tensor like) {
        List<Tensor> args = new ArrayList<>(leaves);
        args.set(i, Tensor.of(x, like.shape().dims()).requiringGrad());
        return f.apply(args).item();
    }
}
