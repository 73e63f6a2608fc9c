package org.neuralode4j.cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.cli.options.ModelSize;
import org.neuralode4j.cli.options.SolverOptions;
import org.neuralode4j.cli.options.Tolerances;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.models.LogNormClassifier;
import org.neuralode4j.models.LogNormSpec;
import org.neuralode4j.models.NodeClassifier;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.ParameterFile;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.sensitivity.Direct;

/**
 * A saved model: {@code model.json} (architecture, solver settings and the {@link ModelData} it was trained on) and
 * {@code model.params} (the parameter file format of {@link ParameterFile}), each written atomically, parameters
 * first: model.json is written last, so it never describes parameters that are not yet on disk.
 */
public final class ModelFiles {
    public static final String SPEC = "model.json";
    public static final String PARAMS = "model.params";

    private ModelFiles() {}

    /** model.json's format of the log-norm classifier (stability.md §5). */
    static final String LOGNORM_FORMAT = "neuralode4j-lognorm-1";

    /**
     * A loaded model with the solver settings and data description it was trained with.
     *
     * @param notes what was assumed for settings an older model.json does not record (to show the user)
     */
    public record Loaded(NodeClassifier model, SolverOptions solver, ModelData data, List<String> notes) {
        /**
         * Predicted class indices of the rows of {@code x} (rows × inputDim), solved with the settings the model was
         * trained with: the one prediction path of {@code predict} and {@code spark predict}.
         */
        public int[] predict(Tensor x) {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                return model.predict(model.logits(model.flow(x, solver.config(),
                        new Direct())));
            }
        }
    }

    public static void save(OutputDir out, NodeClassifier model, SolverOptions solver, ModelData data) {
        ParameterFile.save(out.path(PARAMS), model.parameters());
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
        m.put("dtype", model.parameters().get(0).dtype().label());
        Map<String, Object> sv = new LinkedHashMap<>();
        sv.put("solver", solver.solver);
        sv.put("rtol", solver.rtol);
        sv.put("atol", solver.atol);
        sv.put("step_control", solver.stepControl);
        sv.put("batch_mode", solver.batchMode);
        sv.put("max_steps", solver.maxSteps);
        sv.put("steps", solver.steps);
        m.put("solver", sv);
        m.put("data", data.toJson());
        out.writeJson(SPEC, m);
    }

    @SuppressWarnings("unchecked")
    public static Loaded load(Path dir) {
        Path spec = dir.resolve(SPEC);
        if (!Files.isRegularFile(spec)) {
            throw new NeuralOdeException("--model " + dir + " holds no " + SPEC + ": give the --out folder of a train run");
        }
        Map<String, Object> m = OutputDir.readJson(spec, Map.class);
        NodeClassifier model;
        SolverOptions so = new SolverOptions();
        List<String> notes = new ArrayList<>();
        ModelData data;
        DType saved = ParameterFile.dtype(dir.resolve(PARAMS));
        try {
            if (LOGNORM_FORMAT.equals(m.get("format"))) {
                model = new LogNormClassifier(new LogNormSpec(num(m, "input_dim"), num(m, "state_dim"), num(m, "classes")),
                        Rng.seeded(0));
            } else {
                ClassifierSpec s = new ClassifierSpec(num(m, "input_dim"), num(m, "augment"), num(m, "width"),
                        num(m, "depth"), named(m, "activation", Activation.class), named(m, "time_input", TimeInput.class),
                        num(m, "classes"));
                ModelSize.check(spec.toString(), s);
                // Rebuilt in the precision it was saved in (the parameter file records it).
                model = new AugmentedNodeClassifier(s, Rng.seeded(0), saved);
            }
            Map<String, Object> sv = (Map<String, Object>) m.get("solver");
            so.solver = (String) sv.get("solver");
            so.rtol = Tolerances.rtol("rtol", ((Number) sv.get("rtol")).doubleValue());
            so.atol = Tolerances.atol("atol", ((Number) sv.get("atol")).doubleValue());
            so.stepControl = (String) sv.get("step_control");
            if (sv.get("steps") instanceof Number steps) {
                so.steps = steps.intValue();
            }
            readSolveSettings(sv, so, notes);
            so.config();
            data = ModelData.fromJson(m.get("data"), model.classes(), notes);
        } catch (NeuralOdeException e) {
            throw new NeuralOdeException(spec + " is malformed (" + e.getMessage() + "); re-run train to recreate it");
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            String why = e instanceof NullPointerException ? "a required field is missing"
                    : e instanceof ClassCastException ? "a field has the wrong type" : e.getMessage();
            throw new NeuralOdeException(spec + " is malformed (" + why + "); re-run train to recreate it");
        }
        ParameterFile.load(dir.resolve(PARAMS), model.parameters());
        return new Loaded(model, so, data, List.copyOf(notes));
    }

    /**
     * Batch mode and max-steps, which eval needs to solve as training did; a file from before they were recorded gets
     * the defaults of the time and a note.
     */
    private static void readSolveSettings(Map<String, Object> sv, SolverOptions so, List<String> notes) {
        List<String> missing = new ArrayList<>();
        List<String> assumed = new ArrayList<>();
        if (sv.containsKey("batch_mode")) {
            so.batchMode = (String) sv.get("batch_mode");
        } else {
            missing.add("batch mode");
            assumed.add("batch mode " + so.batchMode);
        }
        if (sv.containsKey("max_steps")) {
            so.maxSteps = num(sv, "max_steps");
        } else {
            missing.add("max-steps");
            assumed.add("max-steps " + so.maxSteps);
        }
        if (!missing.isEmpty()) {
            notes.add("model.json does not record the " + String.join(" or ", missing) + " (written by an older"
                    + " version): assuming " + String.join(", ", assumed));
        }
    }

    private static <E extends Enum<E>> E named(Map<String, Object> m, String key, Class<E> type) {
        Object v = m.get(key);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException("field '" + key + "' is " + v + ", not one of "
                + java.util.Arrays.toString(type.getEnumConstants()));
    }

    private static int num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("field '" + key + "' is missing or not a number");
        }
        return ((Number) v).intValue();
    }
}
