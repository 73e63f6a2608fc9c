package org.neuralode4j.models;

import java.util.List;
import org.neuralode4j.nn.Module;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.tensor.Tensor;

/**
 * An autonomous field f(z) = module(z) as ODE dynamics: the adapter that keeps {@code ode} free of layers.
 * The parameters are read from the module at every call, so optimiser updates are seen by the next solve.
 */
public final class ModuleField implements Dynamics {
    private final Module module;

    public ModuleField(Module module) {
        this.module = module;
    }

    @Override
    public List<Tensor> apply(double t, List<Tensor> y) {
        return List.of(module.forward(y.get(0)));
    }

    @Override
    public List<Tensor> parameters() {
        return module.parameterTensors();
    }

    @Override
    public boolean rowIndependent() {
        return true;
    }

    @Override
    public boolean autonomous() {
        return true;
    }

    public Module module() {
        return module;
    }
}
