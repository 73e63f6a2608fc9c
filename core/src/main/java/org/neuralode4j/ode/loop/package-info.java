/**
 * The solve loops (solvers.md §3–§5): {@link org.neuralode4j.ode.loop.BatchWideLoop},
 * {@link org.neuralode4j.ode.loop.PerSampleLoop} and {@link org.neuralode4j.ode.loop.FixedStepLoop}.
 *
 * <p>One adaptive iteration: the first step comes from the user or from {@code InitialStep} (per sample: each
 * row's own probe at its own time); the proposed step is bounded and checked by {@code StepGuard} (step bounds,
 * min-step policy, clipping to the next stop, underflow, max steps), then {@code RkStepper} evaluates the stages
 * through {@code Field} (f in the forward variable, counting calls and rows, NaN/Inf located in the same pass),
 * {@code ErrorNorm} reduces the error to a ratio (one for the batch, or one per sample) and the
 * {@code Controller} accepts or rejects and proposes the next step. Non-finite values fail the solve or, under
 * {@code REJECT_AND_SHRINK}, count as a rejection with h·facMin ({@code StepGuard}). Accepted steps emit the
 * output times they pass, exactly at a step end or from the step's interpolant.
 *
 * <p>The per-sample loop gathers the running samples, evaluates them in one call at their own times
 * ({@code Dynamics.applySamples}) with a per-row step size, and scatters accepted rows back; finished or stopped
 * samples are frozen and no longer passed to f. {@code StepGuard} is the one place for the policies all three
 * loops share.
 */
package org.neuralode4j.ode.loop;
