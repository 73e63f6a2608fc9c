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

    /** A loaded model with the solver settings it was trained with. */
    public record Loaded(AugmentedNodeClassifier model, SolverOptions solver) {}

    public static void save(OutputDir out, AugmentedNodeClassifier model, SolverOptions solver) {
        ClassifierSpec s = model.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "neuralode4j-classifier-1");
        m.put("input_dim", s.inputDim());
        m.put("augment", s.augment());
        m.put("width", s.width());
        m.put("depth", s.depth());
        m.put("activation", s.activation().name());
        m.put("time_input", s.timeInput().name());
        m.put("classes", s.classes());
        m.put("dtype", model.dtype().label());
        Map<String, Object> sv = new LinkedHashMap<>();
        sv.put("solver", solver.solver);
        sv.put("rtol", solver.rtol);
        sv.put("atol", solver.atol);
        sv.put("step_control", solver.stepControl);
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
            ClassifierSpec s = new ClassifierSpec(num(m, "input_dim"), num(m, "augment"), num(m, "width"), num(m, "depth"),
                    Activation.valueOf((String) m.get("activation")), TimeInput.valueOf((String) m.get("time_input")),
                    num(m, "classes"));
            // Rebuilt in the precision it was saved in (the parameter file records it).
            AugmentedNodeClassifier model = new AugmentedNodeClassifier(s, Rng.seeded(0), ParameterFile.dtype(dir.resolve(PARAMS)));
            ParameterFile.load(dir.resolve(PARAMS), model.parameters());
            SolverOptions so = new SolverOptions();
            Map<String, Object> sv = (Map<String, Object>) m.get("solver");
            so.solver = (String) sv.get("solver");
            so.rtol = ((Number) sv.get("rtol")).doubleValue();
            so.atol = ((Number) sv.get("atol")).doubleValue();
            so.stepControl = (String) sv.get("step_control");
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
