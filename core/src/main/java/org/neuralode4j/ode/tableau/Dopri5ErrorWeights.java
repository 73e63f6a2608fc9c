package org.neuralode4j.ode.tableau;

/**
 * Which embedded formula DOPRI5 uses for its error estimate (solvers.md §1.2): the standard e of Dormand–Prince
 * (1980), Hairer's code and Hipparchus, or torchdiffeq's e_td = (2/3)·e, whose error ratio is 2/3 of the
 * standard one at equal tolerances. The torchdiffeq-compatible preset (§3.4) needs TORCHDIFFEQ.
 */
public enum Dopri5ErrorWeights {
    /** e = b − b̂ (Hairer, Hipparchus). */
    STANDARD,
    /** e_td = (2/3)·e (torchdiffeq 0.2.5 {@code dopri5}). */
    TORCHDIFFEQ;

    /** The DOPRI5 tableau carrying these error weights. */
    public Tableau tableau() {
        return this == STANDARD ? Dopri5.TABLEAU : Dopri5.TORCHDIFFEQ;
    }
}
