package org.neuralode4j.nn;

import java.util.Objects;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Shape;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * A named, mutable slot holding one trainable tensor: the only mutable thing in {@code nn}.
 *
 * <p>Tensors are immutable, so training replaces a parameter's value rather than writing into it. The slot
 * hands out its value as a gradient-requiring leaf, made once per {@link #set}: every forward pass between two
 * updates sees the same leaf object, so {@code Autograd.grad(loss, module.parameterTensors())} finds it on the
 * graph by identity.
 *
 * <p>A container names its children's parameters hierarchically ({@code layers.0.weight}) through
 * {@link #prefixed(String)}: the prefixed parameter is a second name for the same slot, so setting either is
 * seen through both. Not thread-safe: update parameters between forward passes, not during them.
 */
public final class Parameter {
    private final String name;
    private final Slot slot;

    /** The storage shared by a parameter and its prefixed names. */
    private static final class Slot {
        private Tensor value;
    }

    /**
     * @param name    dot-separated name, unique within its module (for example {@code weight})
     * @param initial initial value; only its values are kept (it is detached from any graph)
     */
    public Parameter(String name, Tensor initial) {
        this(checkName(name), new Slot());
        Objects.requireNonNull(initial, "initial value of parameter '" + name + "'");
        slot.value = initial.detach().requiringGrad();
    }

    private Parameter(String name, Slot slot) {
        this.name = name;
        this.slot = slot;
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty() || name.startsWith(".") || name.endsWith(".")) {
            throw new NeuralOdeException("parameter name must be non-empty and not start or end with '.', got '" + name + "'");
        }
        return name;
    }

    public String name() {
        return name;
    }

    /** The current value as a gradient-requiring leaf; the same object until the next {@link #set}. */
    public Tensor value() {
        return slot.value;
    }

    public Shape shape() {
        return slot.value.shape();
    }

    /**
     * Replaces the value (detached from any graph).
     *
     * @throws ShapeException naming this parameter and both shapes when the shape differs
     */
    public void set(Tensor value) {
        if (!value.shape().equals(slot.value.shape())) {
            throw new ShapeException("parameter '" + name + "': cannot set a value of shape " + value.shape()
                    + ", the parameter has shape " + slot.value.shape());
        }
        if (value.dtype() != slot.value.dtype()) {
            throw new NeuralOdeException("parameter '" + name + "': cannot set a " + value.dtype().label()
                    + " value, the parameter is " + slot.value.dtype().label() + " (convert the model with Parameterized.to)");
        }
        slot.value = value.detach().requiringGrad();
    }

    /** The element type of the value. */
    public DType dtype() {
        return slot.value.dtype();
    }

    /** Converts the value to {@code dtype} in place (rounded to nearest for f64 → f32); a no-op when it has it. */
    public void convertTo(DType dtype) {
        if (slot.value.dtype() != dtype) {
            slot.value = slot.value.to(dtype).requiringGrad();
        }
    }

    /** This parameter under the name {@code prefix + "." + name()}, sharing its value. */
    public Parameter prefixed(String prefix) {
        return new Parameter(checkName(prefix + "." + name), slot);
    }

    @Override
    public String toString() {
        return "Parameter " + name + " " + shape();
    }
}
