package org.neuralode4j.cnf;

/**
 * The log-likelihood of a fixed set under a flow, without gradients (cnf.md §2.3, §3.6).
 *
 * @param meanNll       −mean_b log p_x(x_b), nats per sample
 * @param standardError the standard error of that mean over the set (sample sd / √n)
 * @param nfe           evaluations of the right-hand side, summed over blocks and chunks (one chunk: the
 *                      evaluation NFE of workloads.md)
 * @param estimator     the divergence estimator used (exact, or hutchinson-… with one draw per solve)
 * @param transportCost RNODE's transport cost mean_b mean_i (x − z(T))²
 * @param logDensities  log p_x per point
 */
public record DensityEvaluation(double meanNll, double standardError, long nfe, String estimator, double transportCost,
                                double[] logDensities) {}
