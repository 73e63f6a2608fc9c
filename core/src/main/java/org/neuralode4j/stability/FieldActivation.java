package org.neuralode4j.stability;

/**
 * The activation σ of the dense field ẋ = σ(Ax + b) and its derivative, which gives D(x) = diag(σ'(Ax + b)) in the
 * Jacobian J = D(x)A (De Marinis, Guglielmi, Sicilia, Tudisco 2025; {@code stability.md} §2.1). Any C¹ σ with
 * σ' ≥ 0 fits; IDENTITY is the linear field of test T-9.
 */
public enum FieldActivation {
    /**
     * σ = tanh. σ'(u) = 1/cosh²(u), not 1 − tanh²(u): the latter cancels to exactly 0 once |u| exceeds about 19,
     * which would make a saturated unit look exactly dead (§2.1, T-12). cosh overflows to +∞ beyond |u| ≈ 710 and
     * the quotient is then 0, the correctly rounded value.
     */
    TANH {
        @Override
        public double derivative(double u) {
            double c = Math.cosh(u);
            return 1.0 / (c * c);
        }
    },
    /** σ(u) = 1/(1 + e^{−u}); σ' = σ(1 − σ), written as e^{−|u|}/(1 + e^{−|u|})² to keep it positive in the tails. */
    SIGMOID {
        @Override
        public double derivative(double u) {
            double e = Math.exp(-Math.abs(u));
            return e / ((1 + e) * (1 + e));
        }
    },
    /** σ(u) = ln(1 + e^u); σ' = the logistic function. */
    SOFTPLUS {
        @Override
        public double derivative(double u) {
            return u >= 0 ? 1.0 / (1.0 + Math.exp(-u)) : Math.exp(u) / (1.0 + Math.exp(u));
        }
    },
    /** σ(u) = u: D = I at every state (T-9's linear field). */
    IDENTITY {
        @Override
        public double derivative(double u) {
            return 1.0;
        }
    };

    /** σ'(u). */
    public abstract double derivative(double u);
}
