package org.neuralode4j.cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.options.CnfOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cnf.CnfSpec;
import org.neuralode4j.cnf.ContinuousFlow;
import org.neuralode4j.cnf.EndTime;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.ParameterFile;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Rng;

/**
 * A saved density model: {@code model.json} (the {@link CnfSpec}, the evaluation solver and where the training data
 * came from) and {@code model.params} (the parameter file of {@link ParameterFile}, learned end times included),
 * both written atomically. The format tag tells a flow from a classifier saved by {@code train}.
 */
public final class FlowFiles {
    public static final String SPEC = ModelFiles.SPEC;
    public static final String PARAMS = ModelFiles.PARAMS;
    public static final String FORMAT = "neuralode4j-flow-1";

    private FlowFiles() {}

    /**
     * Where the model's training data came from, so that eval and sample can default to it.
     *
     * @param dataset the built-in set's name, or the CSV path
     * @param builtIn true for a built-in toy
     * @param columns the CSV columns used, or null (all / built-in)
     * @param seed    the training seed (built-in held-out sets use seed + 1)
     */
    public record DataInfo(String dataset, boolean builtIn, List<String> columns, long seed) {}

    /** A loaded flow with its evaluation tolerances and data description. */
    public record Loaded(ContinuousFlow flow, double evalRtol, double evalAtol, int maxSteps, DataInfo data) {
        /** The evaluation solver saved with the model. */
        public SolverConfig evaluationSolver() {
            return CnfOptions.evaluationSolver(evalRtol, evalAtol, maxSteps, "--rtol/--atol");
        }
    }

    /**
     * Writes the parameters first, then the spec, so that model.json never describes parameters not yet on disk (a NaN
     * parameter is refused, keeping the last good files).
     */
    public static void save(OutputDir out, ContinuousFlow flow, SolverConfig evalSolver, DataInfo data) {
        CnfSpec s = flow.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("dim", s.dim());
        m.put("hidden", s.hidden());
        m.put("activation", s.activation().name());
        m.put("time_input", s.timeInput().name());
        m.put("blocks", s.blocks());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("initial", s.endTime().initial());
        t.put("learned", s.endTime().learned());
        t.put("parametrisation", s.endTime().parametrisation().name());
        m.put("end_time", t);
        m.put("end_times_now", flow.endTimes());
        m.put("zero_last", s.zeroLast());
        m.put("parameters", countParameters(flow));
        Map<String, Object> sv = new LinkedHashMap<>();
        sv.put("method", "dopri5");
        sv.put("rtol", evalSolver.stepControl().rtol());
        sv.put("atol", evalSolver.stepControl().atol());
        sv.put("max_steps", evalSolver.limits().maxSteps());
        m.put("evaluation_solver", sv);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dataset", data.dataset());
        d.put("builtin", data.builtIn());
        d.put("columns", data.columns());
        d.put("seed", data.seed());
        m.put("data", d);
        ParameterFile.save(out.path(PARAMS), flow.parameters());
        out.writeJson(SPEC, m);
    }

    /** Number of trainable scalars. */
    public static long countParameters(ContinuousFlow flow) {
        long n = 0;
        for (var p : flow.parameters()) {
            n += p.value().size();
        }
        return n;
    }

    /** Loads the flow of a density run's --out folder; every problem is one line naming the folder or file. */
    @SuppressWarnings("unchecked")
    public static Loaded load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new NeuralOdeException("--model " + dir + " does not exist or is not a folder: give the --out folder"
                    + " of a density train run");
        }
        Path spec = dir.resolve(SPEC);
        if (!Files.isRegularFile(spec)) {
            throw new NeuralOdeException("--model " + dir + " holds no " + SPEC + ": give the --out folder of a density"
                    + " train run");
        }
        Map<String, Object> m = OutputDir.readJson(spec, Map.class);
        Object format = m.get("format");
        if (!FORMAT.equals(format)) {
            throw new NeuralOdeException(spec + " is not a density model (format " + format + "; expected " + FORMAT
                    + "): give the --out folder of a density train run");
        }
        if (!Files.isRegularFile(dir.resolve(PARAMS))) {
            throw new NeuralOdeException("--model " + dir + " holds no " + PARAMS + ": the train run did not save its"
                    + " parameters yet; re-run density train");
        }
        try {
            List<Integer> hidden = new ArrayList<>();
            for (Object o : (List<Object>) m.get("hidden")) {
                hidden.add(((Number) o).intValue());
            }
            Map<String, Object> t = (Map<String, Object>) m.get("end_time");
            EndTime end = new EndTime(num(t, "initial"), (Boolean) t.get("learned"),
                    EndTime.Parametrisation.valueOf((String) t.get("parametrisation")));
            CnfSpec s = new CnfSpec((int) num(m, "dim"), hidden, Activation.valueOf((String) m.get("activation")),
                    TimeInput.valueOf((String) m.get("time_input")), (int) num(m, "blocks"), end,
                    (Boolean) m.get("zero_last"));
            ContinuousFlow flow = ContinuousFlow.build(s, Rng.seeded(0));
            ParameterFile.load(dir.resolve(PARAMS), flow.parameters());
            Map<String, Object> sv = (Map<String, Object>) m.get("evaluation_solver");
            Map<String, Object> d = (Map<String, Object>) m.get("data");
            List<String> cols = d.get("columns") == null ? null : new ArrayList<>((List<String>) d.get("columns"));
            DataInfo info = new DataInfo((String) d.get("dataset"), (Boolean) d.get("builtin"), cols,
                    ((Number) d.get("seed")).longValue());
            return new Loaded(flow, num(sv, "rtol"), num(sv, "atol"), (int) num(sv, "max_steps"), info);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            String why = e instanceof NullPointerException ? "a required field is missing"
                    : e instanceof ClassCastException ? "a field has the wrong type" : e.getMessage();
            throw new NeuralOdeException(spec + " is malformed (" + why + "); re-run density train to recreate it");
        }
    }

    private static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("field '" + key + "' is missing or not a number");
        }
        return ((Number) v).doubleValue();
    }
}
