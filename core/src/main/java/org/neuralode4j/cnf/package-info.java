/**
 * Continuous normalising flows: FFJORD (Grathwohl et al. 2019) with RNODE's regulariser channels (Finlay et al.
 * 2020); spec {@code cnf.md}.
 *
 * <p><b>Model.</b> A {@link org.neuralode4j.cnf.ContinuousFlow} is a chain of
 * {@link org.neuralode4j.cnf.CnfBlock}s (a {@link org.neuralode4j.cnf.FlowField} f(t, z) and an
 * {@link org.neuralode4j.cnf.EndTime}, fixed or learned) over R^D with a
 * {@link org.neuralode4j.cnf.BaseDistribution} (N(0, I)); build the usual MLP flows from a
 * {@link org.neuralode4j.cnf.CnfSpec} ({@code CnfSpec.w2()}, {@code ffjordToy()}, {@code rnode2d()}).
 * Likelihood integrates data (t = 0) → latent (t = T) with dℓ/dt = −tr ∂f/∂z and
 * log p(x) = log p_base(z(T)) − ℓ(T), in nats.
 *
 * <p><b>One pass.</b> A {@link org.neuralode4j.cnf.CnfSolve} says how: solver, gradient method (DIRECT,
 * BACKSOLVE_ADJOINT, INTERPOLATED_ADJOINT), {@link org.neuralode4j.cnf.Divergence} (exact, Hutchinson with
 * {@link org.neuralode4j.cnf.ProbeNoise} GAUSSIAN or RADEMACHER, or AUTO) and
 * {@link org.neuralode4j.cnf.RnodeChannels} (kinetic and Jacobian channels, SUM or RNODE_MEAN, in or out of step
 * control). {@code flow.forward(x, solve, noise)} returns a {@link org.neuralode4j.cnf.FlowResult}: z(T), ℓ, the
 * channels, log p, {@code nll()}, {@code loss()}, NFE.
 *
 * <p><b>Using a trained flow.</b> {@code evaluate} gives a {@link org.neuralode4j.cnf.DensityEvaluation} (mean
 * NLL, NFE, estimator, transport cost); {@code sample}/{@code inverse} decode base draws into a
 * {@link org.neuralode4j.cnf.FlowSample} (optionally with log p); {@code trajectory} gives paths;
 * {@link org.neuralode4j.cnf.DensityGrid} gives log p on a 2-D grid with its mass check;
 * {@link org.neuralode4j.cnf.ToyDensities} has the exact 8gaussians density for comparisons. Training lives in
 * {@code org.neuralode4j.train.DensityTrainer}.
 *
 * <p>ConcatSquash MLP fields with tanh or softplus are evaluated in closed form (ClosedFormField), matching
 * autodiff to 1e-12; other fields, learned end times and {@code FlowField.autodiff} use autodiff.
 */
package org.neuralode4j.cnf;
