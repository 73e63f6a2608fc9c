package org.neuralode4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.LogNormClassifier;
import org.neuralode4j.models.LogNormSpec;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.tableau.Rk4;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.stability.ConstraintStates;
import org.neuralode4j.stability.FineTune;
import org.neuralode4j.stability.OuterLevel;
import org.neuralode4j.stability.OuterResult;
import org.neuralode4j.stability.Rebase;
import org.neuralode4j.stability.Schedule;
import org.neuralode4j.train.StabilisedTraining;
import org.neuralode4j.stability.StabilityOptions;
import org.neuralode4j.train.TrainingStates;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.kernels.KernelTuning;
import org.neuralode4j.train.ClassifierTrainer;
import org.neuralode4j.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench stabilize}: one stabilisation of the dense block of De Marinis, Guglielmi, Sicilia, Tudisco (2025) at
 * the spec's defaults (stability.md §3.10: n = 32, K = N_c(M + 1) = 1408, δ = 0, ALL), on one core: the OUTER solve
 * on the constraint states of a briefly trained 2-D log-norm classifier, with its F evaluations, eigendecompositions,
 * ε and iterations; optionally the same solve without the Cholesky certification; then the wall time of the
 * POST_HOC schedule (with its HEAD fine-tuning epoch) against plain training of the same model.
 */
@Command(name = "stabilize", mixinStandardHelpOptions = true, description = "Log-norm stabilisation cost (stability.md).")
final class StabilizeBench implements Callable<Integer> {
    @Option(names = "--epochs", description = "Training epochs of the n = 32 model before stabilising (default ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--delta", description = "Target log norm (default ${DEFAULT-VALUE}).")
    double delta = 0;

    @Option(names = "--uncertified", description = "Also time the solve without the Cholesky certification.")
    boolean uncertified;

    @Option(names = "--active-margin", paramLabel = "M", description = "Also time the solve with the §3.7 active set"
            + " at this margin.")
    Double activeMargin;

    @Option(names = "--overhead-epochs", description = "Epochs of the schedule-overhead comparison; 0 skips it (default ${DEFAULT-VALUE}).")
    int overheadEpochs = 10;

    @Option(names = "--overhead-state-dim", description = "n of the schedule-overhead model (default ${DEFAULT-VALUE}).")
    int overheadStateDim = 8;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    static final SolverConfig RK4 = SolverConfig.fixed(Rk4.TABLEAU, FixedSteps.ofCount(10));

    @Override
    public Integer call() throws IOException {
        if (epochs < 0 || overheadEpochs < 0 || overheadStateDim < 1) {
            throw new org.neuralode4j.NeuralOdeException("--epochs and --overhead-epochs must be >= 0 and"
                    + " --overhead-state-dim >= 1");
        }
        KernelTuning.setMaxThreads(1);
        LabelledSet train = Toys2d.diskAnnulus(2048, 0);
        LogNormClassifier model = new LogNormClassifier(new LogNormSpec(2, 32, 2), Rng.seeded(0));
        if (epochs > 0) {
            ClassifierTrainer.train(model, train, new TrainConfig(epochs, 128, 1e-3, 0, RK4, new Direct()), null, null);
        }
        StabilityOptions opt = StabilityOptions.defaults(delta);
        ConstraintStates states = ConstraintStates.collect(model.denseBlock(), new TrainingStates(model, train,
                opt.constraintSamples(), opt.gridIntervals(), opt.seed(), RK4).collect(model.denseBlock()), 1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", "OUTER on the dense block of a LogNormClassifier(2 -> 32 -> 2) trained " + epochs
                + " epochs on disk-annulus (2048 points, Adam 1e-3, batch 128, RK4 10 steps); delta " + delta
                + ", stability.md §3.10 defaults, 1 thread");
        out.put("n", 32);
        out.put("states", states.size());
        out.put("load_average_at_start", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
        List<Map<String, Object>> solves = new ArrayList<>();
        solves.add(solve("certified", model, states, opt));
        if (uncertified) {
            solves.add(solve("uncertified", model, states, opt.withExecution(1, false)));
        }
        if (activeMargin != null) {
            solves.add(solve("active set", model, states, opt.withActiveMargin(activeMargin)));
        }
        out.put("solves", solves);
        if (overheadEpochs > 0) {
            out.put("schedule_overhead", overhead(train));
        }
        if (json != null) {
            EngineBench.writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        }
        return 0;
    }

    /** CPU time of the calling thread (everything here runs on it: one thread, one data-parallel shard). */
    static double cpuSeconds() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    }

    private static Map<String, Object> solve(String name, LogNormClassifier model, ConstraintStates states,
                                             StabilityOptions opt) {
        double c0 = cpuSeconds();
        OuterResult r = new OuterLevel(opt).solve(model.denseBlock().a(), states);
        double cpu = cpuSeconds() - c0;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("seconds", r.seconds());
        row.put("cpu_seconds", cpu);
        row.put("status", r.status().name());
        row.put("eps", r.eps());
        row.put("outer_iterations", r.outerIterations());
        row.put("inner_iterations", r.innerIterations());
        row.put("f_evaluations", r.evaluations());
        row.put("eigendecompositions", r.decompositions());
        // with the active set an F evaluation covers only the set's states, so the product is not their number
        String stateEvaluations = opt.activeSet() ? "" : " of " + r.evaluations() * states.size() + " state evaluations";
        if (!opt.activeSet()) {
            row.put("state_evaluations", r.evaluations() * states.size());
        } else {
            row.put("active_margin", opt.activeMargin());
        }
        row.put("m_before", r.initial().violation());
        row.put("m_after", r.recheck().violation());
        System.out.printf("%-11s %.2f s (cpu %.2f s)  %s  eps %.5f  outer %d  inner %d  F evaluations %d  eigendecompositions %d"
                + "%s  m %.4f -> %.2e%n", name, r.seconds(), cpu, r.status(), r.eps(),
                r.outerIterations(), r.innerIterations(), r.evaluations(), r.decompositions(), stateEvaluations,
                r.initial().violation(), r.recheck().violation());
        return row;
    }

    /** Plain training vs the POST_HOC schedule (HEAD fine-tuning) of the same seeded model, alternated twice. */
    private Map<String, Object> overhead(LabelledSet train) {
        TrainConfig cfg = new TrainConfig(overheadEpochs, 128, 1e-2, 0, RK4, new Direct());
        StabilisedTraining.Settings s = new StabilisedTraining.Settings(Schedule.POST_HOC, FineTune.HEAD, 1,
                StabilityOptions.defaults(delta));
        double[] plain = new double[2];
        double[] stab = new double[2];
        double[] plainCpu = new double[2];
        double[] stabCpu = new double[2];
        double[] inStabilise = new double[2];
        for (int rep = 0; rep < 2; rep++) {
            double c0 = cpuSeconds();
            long t0 = System.nanoTime();
            ClassifierTrainer.train(newModel(), train, cfg, null, null);
            plain[rep] = (System.nanoTime() - t0) / 1e9;
            plainCpu[rep] = cpuSeconds() - c0;
            c0 = cpuSeconds();
            t0 = System.nanoTime();
            StabilisedTraining.Outcome o = StabilisedTraining.run(newModel(), train, cfg, s, null, null, null);
            stab[rep] = (System.nanoTime() - t0) / 1e9;
            stabCpu[rep] = cpuSeconds() - c0;
            inStabilise[rep] = o.stabiliseSeconds();
        }
        // CPU time is the comparison that survives a loaded machine; wall time is reported beside it
        double p = Math.min(plainCpu[0], plainCpu[1]);
        double q = Math.min(stabCpu[0], stabCpu[1]);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", "disk-annulus 2048 points, LogNormClassifier(2 -> " + overheadStateDim + " -> 2), " + overheadEpochs
                + " epochs, batch 128, Adam 1e-2, RK4 10 steps; POST_HOC with 3 rounds and 1 HEAD epoch, delta " + delta);
        m.put("plain_seconds", plain);
        m.put("stabilised_seconds", stab);
        m.put("stabilise_seconds", inStabilise);
        m.put("plain_cpu_seconds", plainCpu);
        m.put("stabilised_cpu_seconds", stabCpu);
        m.put("cpu_overhead_ratio_best_of_two", q / p - 1);
        System.out.printf("schedule: plain %.2f / %.2f s (cpu %.2f / %.2f), POST_HOC %.2f / %.2f s (cpu %.2f / %.2f;"
                + " STABILISE wall %.2f / %.2f s): cpu overhead %.0f %% (best of two)%n", plain[0], plain[1],
                plainCpu[0], plainCpu[1], stab[0], stab[1], stabCpu[0], stabCpu[1], inStabilise[0], inStabilise[1],
                100 * (q / p - 1));
        return m;
    }

    private LogNormClassifier newModel() {
        return new LogNormClassifier(new LogNormSpec(2, overheadStateDim, 2), Rng.seeded(0));
    }
}
