package org.neuralode4j.cli.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.regularize.JacobianFrobenius;
import org.neuralode4j.regularize.KineticEnergy;
import org.neuralode4j.regularize.Regulariser;
import picocli.CommandLine.Option;

/** {@code --reg kinetic=0.01,jacobian=0.01}: regulariser weights, turned into core regularisers. */
public final class RegOptions {
    @Option(names = "--reg", paramLabel = "NAME=WEIGHT[,...]",
            description = "Regularisers: kinetic (∫‖f‖²), jacobian (Hutchinson ∫‖εᵀ∂f/∂z‖², Gaussian ε), "
                    + "jacobian-rademacher, jacobian-exact (∫‖∂f/∂z‖²_F), condition (∫log κ(∂f/∂z)). "
                    + "Example: --reg kinetic=0.01,jacobian=0.01")
    public String reg;

    @Option(names = "--reg-in-step-control", description = "Let the regulariser channels join the error norm (off by default).")
    public boolean inStepControl;

    private static final java.util.Set<String> NAMES =
            java.util.Set.of("kinetic", "jacobian", "jacobian-rademacher", "jacobian-exact", "condition");

    /** The parsed regularisers (empty when --reg is absent); weight 0 drops a regulariser. */
    public List<Regulariser> regularisers() {
        List<Regulariser> out = new ArrayList<>();
        if (reg == null || reg.isBlank()) {
            return out;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String part : reg.split(",", -1)) {
            String[] kv = part.trim().split("=", -1);
            if (kv.length != 2) {
                throw new NeuralOdeException("--reg " + reg + ": '" + part + "' is not NAME=WEIGHT (e.g. kinetic=0.01)");
            }
            double w;
            try {
                w = Double.parseDouble(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new NeuralOdeException("--reg " + reg + ": weight '" + kv[1] + "' is not a number");
            }
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new NeuralOdeException("--reg " + reg + ": weight " + w + " must be >= 0");
            }
            String name = kv[0].trim().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                throw new NeuralOdeException("--reg " + reg + ": '" + name + "' is given twice; give each regulariser once");
            }
            if (!NAMES.contains(name)) {
                throw new NeuralOdeException("--reg " + reg + ": unknown regulariser '" + kv[0]
                        + "' (use kinetic, jacobian, jacobian-rademacher, jacobian-exact or condition)");
            }
            if (w == 0) {
                continue;
            }
            switch (name) {
                case "kinetic":
                    out.add(new KineticEnergy(w, Regulariser.Normalisation.SUM));
                    break;
                case "jacobian":
                    out.add(JacobianFrobenius.hutchinson(w));
                    break;
                case "jacobian-exact":
                    out.add(new org.neuralode4j.regularize.JacobianFrobeniusExact(w, Regulariser.Normalisation.SUM));
                    break;
                case "condition":
                    out.add(new org.neuralode4j.regularize.ConditionNumber(w, org.neuralode4j.regularize.ConditionNumber.Phi.LOG));
                    break;
                case "jacobian-rademacher":
                    out.add(new JacobianFrobenius(w, Regulariser.Normalisation.SUM, JacobianFrobenius.Noise.RADEMACHER));
                    break;
                default:
                    throw new NeuralOdeException("--reg " + reg + ": unknown regulariser '" + kv[0]
                            + "' (use kinetic, jacobian, jacobian-rademacher, jacobian-exact or condition)");
            }
        }
        return out;
    }
}
