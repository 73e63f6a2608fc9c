package org.neuralode4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradCheck;
import org.neuralode4j.bench.workloads.W1Classify2d;
import org.neuralode4j.bench.workloads.W3ConvFmnist;
import org.neuralode4j.cnf.CnfSolve;
import org.neuralode4j.cnf.CnfSpec;
import org.neuralode4j.cnf.ContinuousFlow;
import org.neuralode4j.cnf.Divergence;
import org.neuralode4j.cnf.RnodeChannels;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.ConvClassifierSpec;
import org.neuralode4j.models.ConvOdeClassifier;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.loss.BceWithLogits;
import org.neuralode4j.nn.loss.CrossEntropy;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.SolveStats;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.sensitivity.AdjointNorm;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Checkpointed;
import org.neuralode4j.sensitivity.ChebyshevNodes;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.sensitivity.InterpolatedAdjoint;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.tensor.kernels.KernelTuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench gradients}: the four gradient methods (direct, checkpointed, backsolve adjoint, interpolated adjoint)
 * head to head on one batch, per seed: forward and backward time (medians of repeated runs, the methods
 * interleaved), forward and backward
 * NFE, memory held for the backward pass, and the gradient's relative error against a direct gradient at
 * rtol = atol = 1e-10 (gradients.md §0's metric over [∂L/∂θ]).
 *
 * <p>W1: the classifier after its training epochs (seed s trains it), a batch of 256 training points, W1's
 * solver (torchdiffeq dopri5 at 1e-3). W2: the CNF at its initialisation (seed s), exact divergence, a batch of
 * 256 draws of 8gaussians, W2's solver (torchdiffeq dopri5 at 1e-5). W3 (with {@code --workloads w3}, which needs
 * Fashion-MNIST installed): the convolutional classifier at its initialisation (seed s), float64, the mean
 * cross-entropy of a batch of 128 training images drawn by seed s, W3's solver (torchdiffeq dopri5 at 1e-3). The adjoint runs in the compatible
 * configuration both workloads train with; the others with their defaults. {@code --irdm-factors} instead
 * measures, on trained W1, what the interpolated adjoint's error is made of (docs/benchmarks/gradients.md).
 */
@Command(name = "gradients", mixinStandardHelpOptions = true,
        description = "Direct, checkpointed, backsolve adjoint and interpolated adjoint on W1, W2 and (on request) W3.")
final class GradientsBench implements Callable<Integer> {
    @Option(names = "--epochs", description = "W1 training epochs before measuring (default ${DEFAULT-VALUE}).")
    int epochs = 20;

    @Option(names = "--seeds", description = "Seeds 0..n-1 (default ${DEFAULT-VALUE}).")
    int seeds = 3;

    @Option(names = "--reps", description = "Timed runs per method and seed, after as many warm-up runs (default ${DEFAULT-VALUE}).")
    int reps = 7;

    @Option(names = "--workloads", split = ",", description = "w1, w2 and/or w3 (default ${DEFAULT-VALUE}; w3 needs"
            + " Fashion-MNIST installed).")
    List<String> workloads = List.of("w1", "w2");

    @Option(names = "--irdm-factors", description = "Measure the interpolated adjoint's error factors on trained W1 instead.")
    boolean irdmFactors;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    /** W3's training images, loaded once for all seeds. */
    private org.neuralode4j.data.ImageSet w3Images;

    /** One differentiable loss on a fixed batch: its gradient under a solver and a method. */
    interface Problem {
        Run gradient(SolverConfig cfg, GradientMethod method);

        SolverConfig solver();
    }

    record Run(double forwardS, double backwardS, SolveStats stats, double[] grads) {}

    @Override
    public Integer call() throws IOException {
        if (epochs < 1 || seeds < 1 || reps < 1) {
            throw new NeuralOdeException("--epochs, --seeds and --reps must be >= 1 (got " + epochs + ", " + seeds + ", " + reps + ")");
        }
        for (String w : workloads) {
            if (!w.equals("w1") && !w.equals("w2") && !w.equals("w3")) {
                throw new NeuralOdeException("--workloads: unknown workload '" + w + "': use w1, w2, w3 or a list such as w1,w2");
            }
        }
        KernelTuning.setMaxThreads(1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", "direct at rtol=atol=1e-10 (dopri5, standard control)");
        out.put("seeds", seeds);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String w : irdmFactors ? List.of("w1") : workloads) {
            for (int seed = 0; seed < seeds; seed++) {
                Problem p = switch (w) {
                    case "w1" -> w1(seed);
                    case "w2" -> w2(seed);
                    default -> w3(seed);
                };
                SolverConfig tight = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-10, 1e-10));
                double[] reference = p.gradient(tight, new Direct()).grads();
                List<Variant> variants = irdmFactors ? factorVariants(p.solver(), tight) : methods(p.solver());
                for (Map<String, Object> row : measure(p, variants, reference, irdmFactors ? 1 : reps)) {
                    row.put("workload", w);
                    row.put("seed", seed);
                    rows.add(row);
                    System.out.printf("%s seed %d %-34s fwd %8.2f ms  bwd %8.2f ms  nfe %4d / %4d  memory %10d B  grad rel error %.3e%n",
                            w, seed, row.get("name"), row.get("forward_ms"), row.get("backward_ms"), row.get("nfe_forward"),
                            row.get("nfe_backward"), row.get("memory_bytes"), row.get("grad_rel_error"));
                }
            }
        }
        out.put(irdmFactors ? "irdm_factors" : "runs", rows);
        out.put("medians_over_seeds", summary(rows));
        if (json != null) {
            EngineBench.writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        }
        return 0;
    }

    /** A labelled method under a solver configuration. */
    record Variant(String name, SolverConfig cfg, GradientMethod method) {}

    private static List<Variant> methods(SolverConfig solver) {
        return List.of(new Variant("direct", solver, new Direct()), new Variant("checkpointed", solver, Checkpointed.defaults()),
                new Variant("adjoint", solver, BacksolveAdjoint.torchdiffeqCompatible()),
                new Variant("interpolated", solver, InterpolatedAdjoint.defaults()));
    }

    /**
     * The interpolated adjoint's error, factor by factor: the backward tolerance (quadrature of a_θ and step
     * control), the forward tolerance (accuracy of the stored z), the number and kind of nodes, the norm and
     * where the backward steps may end.
     */
    private static List<Variant> factorVariants(SolverConfig solver, SolverConfig tight) {
        InterpolatedAdjoint d = InterpolatedAdjoint.defaults();
        InterpolatedAdjoint free = d.withBackwardStepsWithinForward(false);
        List<Variant> v = new ArrayList<>();
        v.add(new Variant("direct", solver, new Direct()));
        v.add(new Variant("adjoint(full)", solver, BacksolveAdjoint.torchdiffeqCompatible()));
        v.add(new Variant("adjoint(seminorm)", solver, BacksolveAdjoint.defaults()));
        v.add(new Variant("irdm default", solver, d));
        v.add(new Variant("irdm default, full", solver, d.withNorm(AdjointNorm.FULL)));
        v.add(new Variant("irdm default, steps on nodes", solver, d.withBackwardStepsOnNodes(true)));
        v.add(new Variant("irdm default, fwd 1e-10", torchdiffeq(1e-10), d.withTolerances(1e-3, 1e-3)));
        v.add(new Variant("irdm default, mismatch", solver, d.withPairing(ChebyshevNodes.Pairing.ORIGINAL_MISMATCH)));
        v.add(new Variant("irdm default, gauss", solver, d.withPairing(ChebyshevNodes.Pairing.MATCHED)
                .withNodesFamily(ChebyshevNodes.Family.GAUSS_CHEBYSHEV)));
        v.add(new Variant("irdm default, piecewise linear", solver, d.withPiecewiseLinear(true)));
        for (int n : new int[] {4, 6, 8, 16, 32}) {
            v.add(new Variant("irdm default, n=" + n, solver, d.withNodes(n)));
        }
        v.add(new Variant("irdm free steps (old default)", solver, free));
        v.add(new Variant("irdm free, full", solver, free.withNorm(AdjointNorm.FULL)));
        v.add(new Variant("irdm free, cotangent atol", solver, free.withAtolRelativeToCotangent(true)));
        v.add(new Variant("irdm free, steps on nodes", solver, free.withBackwardStepsOnNodes(true)));
        v.add(new Variant("irdm free, bwd tol 1e-10", solver, free.withTolerances(1e-10, 1e-10)));
        v.add(new Variant("irdm free, bwd atol 1e-6", solver, free.withTolerances(1e-3, 1e-6)));
        v.add(new Variant("irdm free, fwd 1e-6", torchdiffeq(1e-6), free.withTolerances(1e-3, 1e-3)));
        v.add(new Variant("irdm free, fwd 1e-10", torchdiffeq(1e-10), free.withTolerances(1e-3, 1e-3)));
        for (int n : new int[] {4, 6, 8, 10, 16, 32}) {
            v.add(new Variant("irdm free, n=" + n + ", bwd tol 1e-10", solver, free.withNodes(n).withTolerances(1e-10, 1e-10)));
        }
        v.add(new Variant("irdm free, mismatch, bwd tol 1e-10", solver,
                free.withPairing(ChebyshevNodes.Pairing.ORIGINAL_MISMATCH).withTolerances(1e-10, 1e-10)));
        v.add(new Variant("irdm free, linear, bwd tol 1e-10", solver, free.withPiecewiseLinear(true).withTolerances(1e-10, 1e-10)));
        return v;
    }

    private static SolverConfig torchdiffeq(double tol) {
        return SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(tol, tol));
    }

    /**
     * Warm-up runs, then timed runs with the variants interleaved (one run of each per round), so that a change of
     * load on the machine affects every variant alike.
     */
    private static List<Map<String, Object>> measure(Problem p, List<Variant> variants, double[] reference, int reps) {
        for (int i = 0; i < reps; i++) {
            for (Variant v : variants) {
                p.gradient(v.cfg, v.method);
            }
        }
        List<List<Run>> runs = new ArrayList<>();
        for (int k = 0; k < variants.size(); k++) {
            runs.add(new ArrayList<>());
        }
        for (int i = 0; i < reps; i++) {
            for (int k = 0; k < variants.size(); k++) {
                runs.get(k).add(p.gradient(variants.get(k).cfg, variants.get(k).method));
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int k = 0; k < variants.size(); k++) {
            double[] fw = runs.get(k).stream().mapToDouble(Run::forwardS).sorted().toArray();
            double[] bw = runs.get(k).stream().mapToDouble(Run::backwardS).sorted().toArray();
            Run any = runs.get(k).get(0);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", variants.get(k).name);
            row.put("forward_ms", fw[fw.length / 2] * 1e3);
            row.put("backward_ms", bw[bw.length / 2] * 1e3);
            row.put("nfe_forward", any.stats().nfe());
            row.put("nfe_backward", any.stats().backward().nfe());
            row.put("memory_bytes", any.stats().backward().memoryBytes());
            row.put("grad_rel_error", GradCheck.relativeError(any.grads(), reference));
            rows.add(row);
        }
        return rows;
    }

    /** Per workload and variant, the median over seeds of each measured figure. */
    private static List<Map<String, Object>> summary(List<Map<String, Object>> rows) {
        Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            groups.computeIfAbsent(r.get("workload") + "|" + r.get("name"), k -> new ArrayList<>()).add(r);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        System.out.println("medians over seeds:");
        for (var e : groups.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", e.getValue().get(0).get("workload"));
            m.put("name", e.getValue().get(0).get("name"));
            for (String key : List.of("forward_ms", "backward_ms", "nfe_forward", "nfe_backward", "memory_bytes", "grad_rel_error")) {
                double[] vals = e.getValue().stream().mapToDouble(r -> ((Number) r.get(key)).doubleValue()).toArray();
                m.put(key, W1Classify2d.median(vals));
            }
            out.add(m);
            System.out.printf("%s %-34s fwd %8.2f ms  bwd %8.2f ms  nfe %6.1f / %6.1f  memory %10.0f B  grad rel error %.3e%n",
                    m.get("workload"), m.get("name"), m.get("forward_ms"), m.get("backward_ms"), m.get("nfe_forward"),
                    m.get("nfe_backward"), m.get("memory_bytes"), m.get("grad_rel_error"));
        }
        return out;
    }

    /** W1 after its training epochs from {@code seed}, on its first 256 training points. */
    private Problem w1(long seed) {
        W1Classify2d w1 = new W1Classify2d();
        AugmentedNodeClassifier model = w1.run("direct/none", epochs, seed, null).model();
        int[] first = new int[256];
        Arrays.setAll(first, i -> i);
        LabelledSet batch = w1.train.rows(first);
        List<Tensor> params = tensors(model.parameters());
        return new Problem() {
            @Override
            public Run gradient(SolverConfig cfg, GradientMethod method) {
                long t0 = System.nanoTime();
                var s = model.flow(batch.x(), cfg, method);
                Tensor loss = BceWithLogits.mean(model.logits(s), batch.binaryTargets());
                long t1 = System.nanoTime();
                List<Tensor> g = Autograd.grad(loss, params);
                long t2 = System.nanoTime();
                return new Run((t1 - t0) / 1e9, (t2 - t1) / 1e9, s.stats(), GradCheck.flatten(g));
            }

            @Override
            public SolverConfig solver() {
                return W1Classify2d.SOLVER;
            }
        };
    }

    /** W2's CNF at its initialisation from {@code seed}: mean NLL of 256 draws of 8gaussians, exact divergence. */
    private static Problem w2(long seed) {
        ContinuousFlow flow = ContinuousFlow.build(CnfSpec.w2(), Rng.seeded(seed));
        Tensor x = Toys2d.sample("8gaussians", 256, 1000 + seed);
        List<Tensor> params = tensors(flow.parameters());
        return new Problem() {
            @Override
            public Run gradient(SolverConfig cfg, GradientMethod method) {
                CnfSolve solve = new CnfSolve(cfg, method, Divergence.exact(), RnodeChannels.none(), false);
                long t0 = System.nanoTime();
                var r = flow.forward(x, solve, Rng.seeded(7));
                Tensor loss = r.loss();
                long t1 = System.nanoTime();
                List<Tensor> g = Autograd.grad(loss, params);
                long t2 = System.nanoTime();
                return new Run((t1 - t0) / 1e9, (t2 - t1) / 1e9, r.stats().get(0), GradCheck.flatten(g));
            }

            @Override
            public SolverConfig solver() {
                return CnfSolve.w2Solver();
            }
        };
    }

    /** W3's classifier at its initialisation from {@code seed}: mean cross-entropy of 128 training images drawn by seed. */
    private Problem w3(long seed) {
        if (w3Images == null) {
            w3Images = org.neuralode4j.data.FashionMnist.load(null, org.neuralode4j.data.FashionMnist.Split.TRAIN)
                    .first(W3ConvFmnist.TRAIN_IMAGES);
        }
        ConvOdeClassifier model = new ConvOdeClassifier(ConvClassifierSpec.w3(), Rng.seeded(seed));
        int[] pick = Arrays.copyOf(Rng.seeded(seed + 100).permutation(w3Images.size()), W3ConvFmnist.BATCH);
        LabelledSet batch = w3Images.rows(pick);
        List<Tensor> params = tensors(model.parameters());
        return new Problem() {
            @Override
            public Run gradient(SolverConfig cfg, GradientMethod method) {
                long t0 = System.nanoTime();
                var s = model.flow(batch.x(), cfg, method);
                Tensor loss = CrossEntropy.mean(model.logits(s), batch.labels());
                long t1 = System.nanoTime();
                List<Tensor> g = Autograd.grad(loss, params);
                long t2 = System.nanoTime();
                return new Run((t1 - t0) / 1e9, (t2 - t1) / 1e9, s.stats(), GradCheck.flatten(g));
            }

            @Override
            public SolverConfig solver() {
                return W3ConvFmnist.SOLVER;
            }
        };
    }

    private static List<Tensor> tensors(List<Parameter> ps) {
        List<Tensor> out = new ArrayList<>();
        for (Parameter p : ps) {
            out.add(p.value());
        }
        return out;
    }
}
