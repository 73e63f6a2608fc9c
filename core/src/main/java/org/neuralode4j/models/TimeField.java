package org.neuralode4j.models;

import java.util.List;
import org.neuralode4j.nn.TimeModule;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.tensor.Tensor;

/** A time-conditioned field f(t, z) = module(t, z) as ODE dynamics (CONCAT / CONCATSQUASH MLPs). */
public final class TimeField implements Dynamics {
    private final TimeModule module;

    public TimeField(TimeModule module) {
        this.module = module;
    }

    @Override
    public List<Tensor> apply(double t, List<Tensor> y) {
        return List.of(module.forward(t, y.get(0)));
    }

    @Override
    public List<Tensor> parameters() {
        return module.parameterTensors();
    }

    @Override
    public boolean rowIndependent() {
        return true;
    }
}
