package org.neuralode4j.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.GradOrigin;
import org.neuralode4j.tensor.Tensor;

/**
 * Reverse-mode differentiation with the semantics of {@code torch.autograd.grad}: vector–Jacobian products
 * of any outputs with respect to any inputs, returned rather than stored.
 *
 * <p>With {@code createGraph = true} the backward sweep runs with recording on, so every rule's computation is
 * itself recorded and the returned gradients can be differentiated again (Jacobian penalties, Hessian–vector
 * products). Otherwise the sweep runs under no-grad and the results are plain values.
 *
 * <p>Only nodes on a path to a requested input are visited, and each rule is told which of its inputs are
 * wanted, so, for example, a gradient with respect to the data skips the weight-gradient products.
 */
public final class Autograd {
    private Autograd() {}

    /**
     * Records {@code out} as the result of {@code opName} applied to {@code inputs}, when recording is on and an
     * input requires gradients; otherwise returns {@code out} unchanged. Used by the ops.
     */
    public static Tensor record(String opName, Tensor out, Node.Rule rule, Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return out;
        }
        boolean any = false;
        for (Tensor t : inputs) {
            if (t.requiresGrad()) {
                any = true;
                break;
            }
        }
        if (!any) {
            return out;
        }
        Node node = new Node(opName, inputs, rule);
        Tensor recorded = out.withOrigin(node);
        node.setOutput(recorded);
        return recorded;
    }

    /** d output / d inputs for a scalar output (gradient output 1). */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs) {
        return grad(List.of(output), inputs, null, false, false);
    }

    /** d output / d inputs for a scalar output, optionally recording the sweep for higher-order gradients. */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph) {
        return grad(List.of(output), inputs, null, createGraph, false);
    }

    /** d output / d input for a scalar output. */
    public static Tensor grad(Tensor output, Tensor input) {
        return grad(List.of(output), List.of(input), null, false, false).get(0);
    }

    /**
     * Vector–Jacobian products Σ_j gradOutputs[j]ᵀ ∂outputs[j]/∂inputs[i], one per input.
     *
     * @param outputs     tensors computed with recording on from the inputs
     * @param inputs      tensors to differentiate with respect to (leaves or intermediate results)
     * @param gradOutputs one per output, same shapes; null means ones (allowed only for one-element outputs)
     * @param createGraph record the sweep so the results can be differentiated again
     * @param allowUnused return zeros for inputs no output depends on, instead of failing
     * @throws AutodiffException when an output is not on the graph or holds NaN/Inf, or an input is unused
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean createGraph, boolean allowUnused) {
        if (gradOutputs != null && gradOutputs.size() != outputs.size()) {
            throw new AutodiffException("grad: " + gradOutputs.size() + " gradOutputs for " + outputs.size() + " outputs");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).requiresGrad()) {
                throw new AutodiffException("grad: input " + i + " (shape " + inputs.get(i).shape()
                        + ") does not require grad: make it with requiringGrad() or compute it from tensors that do");
            }
        }
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        List<Node> roots = new ArrayList<>();
        for (int j = 0; j < outputs.size(); j++) {
            Tensor out = outputs.get(j);
            Tensor seed = seed(out, j, gradOutputs == null ? null : gradOutputs.get(j));
            if (!out.requiresGrad()) {
                throw new AutodiffException("grad: output " + j + " (shape " + out.shape() + ") is not on the graph:"
                        + " it was computed under noGrad or only from tensors that do not require grad");
            }
            checkFinite(out, j);
            accumulate(grads, out, seed);
            if (out.origin() instanceof Node) {
                roots.add((Node) out.origin());
            }
        }

        Map<Tensor, Boolean> targets = new IdentityHashMap<>();
        long firstTarget = Long.MAX_VALUE;
        for (Tensor t : inputs) {
            targets.put(t, Boolean.TRUE);
            firstTarget = Math.min(firstTarget, t.id());
        }
        List<Node> order = topologicalOrder(roots, firstTarget);
        // A node is needed when one of its inputs is a target or comes from a needed node. Order lists
        // producers before consumers, so one forward pass settles it.
        Map<Node, Boolean> needed = new IdentityHashMap<>();
        for (Node n : order) {
            for (int i = 0; i < n.inputCount(); i++) {
                if (leadsToTarget(n.input(i), targets, needed)) {
                    needed.put(n, Boolean.TRUE);
                    break;
                }
            }
        }

        Map<Tensor, Tensor> result = new IdentityHashMap<>();
        try (GradMode.Scope ignored = GradMode.set(createGraph)) {
            for (int idx = order.size() - 1; idx >= 0; idx--) {
                Node n = order.get(idx);
                Tensor out = n.output();
                Tensor g = grads.remove(out);
                if (targets.containsKey(out) && g != null) {
                    result.put(out, g);
                }
                if (g == null || !needed.containsKey(n)) {
                    continue;
                }
                boolean[] needs = new boolean[n.inputCount()];
                for (int i = 0; i < needs.length; i++) {
                    needs[i] = leadsToTarget(n.input(i), targets, needed);
                }
                Tensor[] in = n.rule().apply(n, g, needs);
                for (int i = 0; i < needs.length; i++) {
                    if (needs[i] && in[i] != null) {
                        Tensor input = n.input(i);
                        if (!in[i].shape().equals(input.shape())) {
                            throw new AutodiffException("grad: rule of '" + n.opName() + "' returned a gradient of shape "
                                    + in[i].shape() + " for input " + i + " of shape " + input.shape());
                        }
                        if (in[i].dtype() != input.dtype()) {
                            throw new AutodiffException("grad: rule of '" + n.opName() + "' returned a " + in[i].dtype().label()
                                    + " gradient for " + input.dtype().label() + " input " + i);
                        }
                        accumulate(grads, input, in[i]);
                    }
                }
            }
        }
        List<Tensor> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = inputs.get(i);
            Tensor g = result.containsKey(t) ? result.get(t) : grads.get(t);
            if (g == null) {
                if (!allowUnused) {
                    throw new AutodiffException("grad: input " + i + " (shape " + t.shape() + ") is not used to compute the"
                            + " outputs; pass allowUnused=true to get zeros");
                }
                g = Tensor.zeros(t.dtype(), t.shape());
            }
            out.add(g);
        }
        return out;
    }

    /**
     * Recorded nodes reachable from the outputs and the bytes of their results: what a direct backward pass keeps
     * alive. {@code [nodes, bytes]}.
     */
    public static long[] footprint(List<Tensor> outputs) {
        List<Node> roots = new ArrayList<>();
        for (Tensor t : outputs) {
            if (t.origin() instanceof Node) {
                roots.add((Node) t.origin());
            }
        }
        List<Node> order = topologicalOrder(roots, Long.MIN_VALUE);
        long bytes = 0;
        for (Node n : order) {
            bytes += (long) n.output().size() * n.output().dtype().bytes();
        }
        return new long[] {order.size(), bytes};
    }

    private static Tensor seed(Tensor out, int j, Tensor given) {
        if (given == null) {
            if (out.size() != 1) {
                throw new AutodiffException("grad: output " + j + " has shape " + out.shape()
                        + "; gradOutputs are required for outputs with more than one element");
            }
            return Tensor.full(out.dtype(), 1.0, out.shape());
        }
        if (!given.shape().equals(out.shape())) {
            throw new AutodiffException("grad: gradOutput " + j + " has shape " + given.shape()
                    + " but output " + j + " has shape " + out.shape());
        }
        if (given.dtype() != out.dtype()) {
            throw new AutodiffException("grad: gradOutput " + j + " is " + given.dtype().label() + " but output " + j
                    + " is " + out.dtype().label() + "; cast it with Ops.cast");
        }
        return given;
    }

    private static void checkFinite(Tensor out, int j) {
        if (!out.allFinite()) {
            GradOrigin o = out.origin();
            throw new AutodiffException("grad: output " + j + " (shape " + out.shape() + ", made by '"
                    + (o == null ? "leaf" : o.opName()) + "') contains NaN or Inf; check the loss and its inputs"
                    + " (learning rate too high? log of zero?)");
        }
    }

    private static boolean leadsToTarget(Tensor t, Map<Tensor, Boolean> targets, Map<Node, Boolean> needed) {
        if (!t.requiresGrad()) {
            return false;
        }
        if (targets.containsKey(t)) {
            return true;
        }
        GradOrigin o = t.origin();
        return o instanceof Node && needed.containsKey(o);
    }

    private static void accumulate(Map<Tensor, Tensor> grads, Tensor t, Tensor g) {
        Tensor prev = grads.get(t);
        grads.put(t, prev == null ? g : Ops.add(prev, g));
    }

    /**
     * Nodes reachable from the roots, producers before consumers. Iterative: a solve of thousands of steps
     * makes graphs far deeper than the Java stack.
     *
     * <p>Nodes whose output id is below {@code minId} are not entered. Ids grow with creation and a node's output
     * is made after its inputs, so such a node and all its ancestors were made before the first target and cannot
     * depend on it. This keeps a vjp taken inside a recorded solve (a CNF trace, a Jacobian penalty under DIRECT)
     * from walking the whole tape of the earlier steps on every evaluation.
     */
    private static List<Node> topologicalOrder(List<Node> roots, long minId) {
        List<Node> order = new ArrayList<>();
        Map<Node, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        for (Node root : roots) {
            if (visited.containsKey(root)) {
                continue;
            }
            visited.put(root, Boolean.TRUE);
            stack.push(root);
            next.push(0);
            while (!stack.isEmpty()) {
                Node n = stack.peek();
                int i = next.pop();
                if (i < n.inputCount()) {
                    next.push(i + 1);
                    GradOrigin o = n.input(i).origin();
                    if (o instanceof Node && !visited.containsKey(o) && ((Node) o).output().id() >= minId) {
                        visited.put((Node) o, Boolean.TRUE);
                        stack.push((Node) o);
                        next.push(0);
                    }
                } else {
                    stack.pop();
                    order.add(n);
                }
            }
        }
        return order;
    }
}
