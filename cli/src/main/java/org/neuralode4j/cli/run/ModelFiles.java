package org.neuralode4j.cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.options.SolverOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.models.LogNormClassifier;
import org.neuralode4j.models.LogNormSpec;
import org.neuralode4j.models.NodeClassifier;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.ParameterFile;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.tensor.Rng;

/**
 * A saved model: {@code model.json} (architecture and solver settings) and {@code model.params} (the parameter
 * file format of {@link ParameterFile}), both written atomically.
 */
public final class ModelFiles {
    public static final String SPEC = "model.json";
    public static final String PARAMS = "model.params";

    private ModelFiles() {}

    /** model.json's format of the log-norm classifier (stability.md §5). */
    static final String LOGNORM_FORMAT = "neuralode4j-lognorm-1";

    /** A loaded model with the solver settings it was trained with. */
    public record Loaded(NodeClassifier model, SolverOptions solver) {}

    public static void save(OutputDir out, NodeClassifier model, SolverOptions solver) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (model instanceof LogNormClassifier ln) {
            m.put("format", LOGNORM_FORMAT);
            m.put("input_dim", ln.spec().inputDim());
            m.put("state_dim", ln.spec().stateDim());
            m.put("classes", ln.spec().classes());
        } else {
            ClassifierSpec s = ((AugmentedNodeClassifier) model).spec();
            m.put("format", "neuralode4j-classifier-1");
            m.put("input_dim", s.inputDim());
            m.put("augment", s.augment());
            m.put("width", s.width());
            m.put("depth", s.depth());
            m.put("activation", s.activation().name());
            m.put("time_input", s.timeInput().name());
            m.put("classes", s.classes());
        }
        Map<String, Object> sv = new LinkedHashMap<>();
        sv.put("solver", solver.solver);
        sv.put("rtol", solver.rtol);
        sv.put("atol", solver.atol);
        sv.put("step_control", solver.stepControl);
        sv.put("steps", solver.steps);
        m.put("solver", sv);
        out.writeJson(SPEC, m);
        ParameterFile.save(out.path(PARAMS), model.parameters());
    }

    @SuppressWarnings("unchecked")
    public static Loaded load(Path dir) {
        Path spec = dir.resolve(SPEC);
        if (!Files.isRegularFile(spec)) {
            throw new NeuralOdeException("--model " + dir + " holds no " + SPEC + ": give the --out folder of a train run");
        }
        Map<String, Object> m = OutputDir.readJson(spec, Map.class);
        try {
            NodeClassifier model;
            if (LOGNORM_FORMAT.equals(m.get("format"))) {
                model = new LogNormClassifier(new LogNormSpec(num(m, "input_dim"), num(m, "state_dim"), num(m, "classes")),
                        Rng.seeded(0));
            } else {
                ClassifierSpec s = new ClassifierSpec(num(m, "input_dim"), num(m, "augment"), num(m, "width"),
                        num(m, "depth"), Activation.valueOf((String) m.get("activation")),
                        TimeInput.valueOf((String) m.get("time_input")), num(m, "classes"));
                model = new AugmentedNodeClassifier(s, Rng.seeded(0));
            }
            ParameterFile.load(dir.resolve(PARAMS), model.parameters());
            SolverOptions so = new SolverOptions();
            Map<String, Object> sv = (Map<String, Object>) m.get("solver");
            so.solver = (String) sv.get("solver");
            so.rtol = ((Number) sv.get("rtol")).doubleValue();
            so.atol = ((Number) sv.get("atol")).doubleValue();
            so.stepControl = (String) sv.get("step_control");
            if (sv.get("steps") instanceof Number steps) {
                so.steps = steps.intValue();
            }
            return new Loaded(model, so);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new NeuralOdeException(spec + " is malformed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); re-run train to recreate it");
        }
    }

    private static int num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("field '" + key + "' is missing or not a number");
        }
        return ((Number) v).intValue();
    }
}
