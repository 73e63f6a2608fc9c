/**
 * What decides the steps of a solve (solvers.md §3–§5), as small immutable records the loops read.
 *
 * <p>{@link org.neuralode4j.ode.control.StepControl} gathers the adaptive settings: tolerances (global and per
 * component), which components count in the error norm (the seminorm of §3.2), the
 * {@link org.neuralode4j.ode.control.Controller}, the error scope under batch-wide control, the overshoot rule and
 * the forced stops; presets are named after their source ({@code torchdiffeqDopri5}, {@code of}).
 * {@link org.neuralode4j.ode.control.ErrorNorm} turns an attempt's error estimate into ratios (RMS over components,
 * per sample, then batch RMS or max), the controller turns a ratio and the carried
 * {@link org.neuralode4j.ode.control.ControllerState} into accept/reject and the next step size (stateless, so one
 * controller serves every sample), {@link org.neuralode4j.ode.control.Limits} bounds the solve (max steps, step
 * bounds, non-finite policy) and {@link org.neuralode4j.ode.control.FixedSteps} describes a fixed grid instead.
 *
 * <p><b>On the path of a solve</b>, {@code SolverConfig} carries these records to the loop chosen by
 * {@code Ode.solveRecorded}; nothing here evaluates the field or records ops: step sizes are never differentiated.
 */
package org.neuralode4j.ode.control;
