/**
 * Explicit Runge–Kutta solves of dy/dt = f(t, y) on a tuple of batched tensors (solvers.md), recorded like any
 * other computation so that a loss on the outputs can be differentiated through every step.
 *
 * <p><b>The path a solve takes.</b> {@link org.neuralode4j.ode.Ode#solve} checks the problem (shapes, times,
 * row independence for per-sample control) and hands it to a {@link org.neuralode4j.ode.GradientMethod} (direct
 * by default; the adjoints live in {@code sensitivity}), which runs one of three loops in {@code ode.loop}
 * according to the {@link org.neuralode4j.ode.SolverConfig}: fixed steps, adaptive batch-wide (one step sequence
 * for the batch, torchdiffeq semantics) or adaptive per-sample (one per sample, torchode semantics). Every loop
 * works in the forward variable s = sign·t, takes Runge–Kutta attempts with the {@code ode.tableau} method, asks
 * {@code ode.control} whether to accept and how large the next step is, applies the shared limits and
 * non-finite policies, and serves output times exactly or from the step's interpolant ({@code ode.dense}). The
 * result is a {@link org.neuralode4j.ode.Solution}: states at the output times, per-sample status, statistics and
 * optionally dense output.
 *
 * <p>{@link org.neuralode4j.ode.Dynamics} is the only view the solvers have of a model: f at one time for the
 * whole batch, f for rows at their own times ({@code applyRows}, {@code applySamples}, used by per-sample
 * control), its parameters, and whether its rows are independent. {@code ode} knows nothing of layers.
 */
package org.neuralode4j.ode;
