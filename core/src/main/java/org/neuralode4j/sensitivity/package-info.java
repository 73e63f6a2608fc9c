/**
 * The gradient methods of a solve (gradients.md): the implementations of {@code ode.GradientMethod}, received by
 * {@code Ode.solve} as an object.
 *
 * <ul>
 *   <li>{@link org.neuralode4j.sensitivity.Direct} (gradients.md §1): runs the loop with recording on; the
 *       gradient is exact for the discrete steps taken, and memory grows with them.</li>
 *   <li>{@link org.neuralode4j.sensitivity.BacksolveAdjoint} (Chen et al. 2018, gradients.md §2): runs the
 *       forward loop under no-grad, then wraps the outputs (AdjointOutputs) in one recorded node whose rule
 *       integrates [z, a, a_θ] backwards ({@code AdjointDynamics}) from each output time to the previous one,
 *       through the same {@code Ode.solveRecorded} path, with the backward configuration of
 *       {@code BackwardSolves}.</li>
 *   <li>{@link org.neuralode4j.sensitivity.InterpolatedAdjoint} (IRDM, Daulbaev et al. 2020, gradients.md §3):
 *       stores z at Chebyshev nodes of each output interval during the forward solve and integrates only
 *       [a, a_θ] backwards, reading z from the barycentric interpolant ({@code ChebyshevNodes},
 *       {@code Barycentric}).</li>
 * </ul>
 * The backward statistics (NFE, steps, reconstruction error) are written once into the forward solution's
 * {@code SolveStats} after the sweep.
 */
package org.neuralode4j.sensitivity;
