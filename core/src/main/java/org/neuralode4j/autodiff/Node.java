package org.neuralode4j.autodiff;

import org.neuralode4j.tensor.GradOrigin;
import org.neuralode4j.tensor.Tensor;

/**
 * One recorded op application: the op's name, its inputs, its output and its gradient rule.
 *
 * <p>The output is set right after construction (the output tensor needs the node first); rules that reuse
 * the output (exp, tanh, sigmoid, sqrt) read the recorded output, so a second differentiation sees it.
 */
public final class Node implements GradOrigin {
    private final String opName;
    private final Tensor[] inputs;
    private final Rule rule;
    private Tensor output;

    Node(String opName, Tensor[] inputs, Rule rule) {
        this.opName = opName;
        this.inputs = inputs;
        this.rule = rule;
    }

    @Override
    public String opName() {
        return opName;
    }

    /** Input i as recorded. */
    public Tensor input(int i) {
        return inputs[i];
    }

    public int inputCount() {
        return inputs.length;
    }

    /** The recorded output. */
    public Tensor output() {
        return output;
    }

    void setOutput(Tensor output) {
        this.output = output;
    }

    Rule rule() {
        return rule;
    }

    /**
     * A gradient rule: given the gradient of the output, the gradients of the inputs, built from recorded ops
     * ({@code Ops}) so that, under create-graph, the rule's own computation is recorded and can be
     * differentiated again.
     */
    @FunctionalInterface
    public interface Rule {
        /**
         * @param node  the node (inputs and output)
         * @param g     gradient with respect to the output, same shape as the output
         * @param needs needs[i] is true when input i's gradient is wanted; others may be left null
         * @return one gradient per input (shape of that input), null where not needed or not differentiable
         */
        Tensor[] apply(Node node, Tensor g, boolean[] needs);
    }
}
