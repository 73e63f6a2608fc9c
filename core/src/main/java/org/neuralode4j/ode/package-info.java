/**
 * Initial-value problems and their solution (solvers.md): the entry point {@link org.neuralode4j.ode.Ode}, the
 * problem ({@link org.neuralode4j.ode.Dynamics}, a state of tensors with the batch first, output times), the
 * configuration ({@link org.neuralode4j.ode.SolverConfig}: tableau, step control or fixed steps, limits, batch
 * mode, dense output) and the result ({@link org.neuralode4j.ode.Solution} with
 * {@link org.neuralode4j.ode.SolveStats} and per-sample {@link org.neuralode4j.ode.SampleStatus}).
 *
 * <p><b>The path a solve takes.</b>
 * <ol>
 *   <li>{@code Ode.solve(f, y0, times, cfg, method)} checks the problem and the configuration (shapes, times,
 *       row independence for per-sample mode), then hands it to the {@link org.neuralode4j.ode.GradientMethod}.
 *       The method is an object from {@code sensitivity}; {@code ode} declares only the interface, so no solver
 *       knows how it is differentiated (diffrax's {@code adjoint=} argument).</li>
 *   <li>The method calls {@code Ode.solveRecorded}, with recording on (direct) or off (adjoint forward pass),
 *       which picks the loop in {@code ode.loop}: {@code FixedStepLoop} for a fixed grid, {@code PerSampleLoop}
 *       for per-sample control, {@code BatchWideLoop} otherwise.</li>
 *   <li>The loop steps with the {@code ode.tableau} method, measures each attempt's error and asks the controller
 *       of {@code ode.control} for the next step, within the {@code Limits}; outputs between step ends come from
 *       the step's interpolant ({@code ode.dense}).</li>
 *   <li>The loop returns a {@code Solution}; an adjoint method wraps its outputs in a node whose gradient rule runs
 *       the backward solve through this same path.</li>
 * </ol>
 * {@code ode} does not import {@code nn}: models adapt their modules into {@code Dynamics}, so the solvers are
 * tested on closed-form fields.
 */
package org.neuralode4j.ode;
