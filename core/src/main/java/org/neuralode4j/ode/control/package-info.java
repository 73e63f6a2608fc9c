/**
 * Step control settings and decisions (solvers.md §3, §5), all immutable values: {@link
 * org.neuralode4j.ode.control.StepControl} composes {@link org.neuralode4j.ode.control.Tolerances} (tolerances,
 * seminorm mask, batch error scope), a {@link org.neuralode4j.ode.control.Controller} (I/PI or torchdiffeq's rule;
 * stateless, the loop carries {@link org.neuralode4j.ode.control.ControllerState}), the first step, {@link
 * org.neuralode4j.ode.control.Stops} (where steps must end) and {@link org.neuralode4j.ode.control.TorchdiffeqCompat};
 * {@code StepControl.torchdiffeqDopri5} is the preset that reproduces torchdiffeq step for step.
 * {@link org.neuralode4j.ode.control.Limits} holds max steps, step bounds and the failure policies;
 * {@link org.neuralode4j.ode.control.FixedSteps} the fixed-step grid; {@link org.neuralode4j.ode.control.ErrorNorm}
 * turns an error estimate into ratios.
 */
package org.neuralode4j.ode.control;
