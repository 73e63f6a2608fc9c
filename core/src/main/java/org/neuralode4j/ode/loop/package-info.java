/**
 * The solve loops (solvers.md §3–§6): where {@code Ode.solveRecorded} sends a problem once the gradient method has
 * chosen whether to record.
 *
 * <p>{@link org.neuralode4j.ode.loop.BatchWideLoop} (one step sequence for the batch, torchdiffeq semantics) and
 * {@link org.neuralode4j.ode.loop.PerSampleLoop} (a time, step and controller state per sample, torchode semantics)
 * are adaptive; {@link org.neuralode4j.ode.loop.FixedStepLoop} walks a grid. All see the right-hand side through
 * {@code Field}, which works in the forward variable s = sign·t (so every loop steps forward), counts evaluations
 * and checks each result for NaN/Inf in the same pass.
 *
 * <p><b>One adaptive step</b>: the first step size comes from {@code InitialStep} (Hairer, Nørsett &amp; Wanner's
 * heuristic, one extra evaluation) unless given; each attempt is clipped to the next stop, checked against the
 * limits, and taken by {@code RkStepper} (stages and the new state as recorded ops, the error estimate as plain
 * values); {@code control.ErrorNorm} reduces the error to one ratio per batch or per sample, and
 * {@code control.Controller} accepts or rejects and proposes the next step. Accepted steps emit the outputs they
 * cover, exactly at a step end or from the step's interpolant, and the loop builds the {@code Solution}.
 */
package org.neuralode4j.ode.loop;
