package org.neuralode4j.cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.options.SolverOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.models.ConvClassifierSpec;
import org.neuralode4j.models.ConvOdeClassifier;
import org.neuralode4j.nn.ParameterFile;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.tensor.Rng;

/**
 * A saved convolutional image classifier, in the files of {@link ModelFiles} ({@code model.json} and
 * {@code model.params}) with its own format name, the data set it was trained on, its class names and its dtype.
 */
public final class ConvModelFiles {
    public static final String FORMAT = "neuralode4j-conv-classifier-1";

    private ConvModelFiles() {}

    /** A loaded model, the solver settings it was trained with, and its data set's canonical name. */
    public record Loaded(ConvOdeClassifier model, SolverOptions solver, String dataset, List<String> classNames) {}

    /** Whether {@code dir} holds a model saved by {@link #save}. */
    public static boolean isConv(Path dir) {
        Path spec = dir.resolve(ModelFiles.SPEC);
        if (!Files.isRegularFile(spec)) {
            return false;
        }
        try {
            return FORMAT.equals(OutputDir.readJson(spec, Map.class).get("format"));
        } catch (RuntimeException e) {
            return false; // unreadable: ModelFiles.load reports it
        }
    }

    public static void save(OutputDir out, ConvOdeClassifier model, SolverOptions solver, String dataset, List<String> classNames) {
        ConvClassifierSpec s = model.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("dataset", dataset);
        m.put("side", s.side());
        m.put("channels", s.channels());
        m.put("time_input", s.timeInput().name());
        m.put("head", s.head().name());
        m.put("classes", s.classes());
        m.put("class_names", classNames);
        m.put("dtype", model.dtype().label());
        Map<String, Object> sv = new LinkedHashMap<>();
        sv.put("solver", solver.solver);
        sv.put("rtol", solver.rtol);
        sv.put("atol", solver.atol);
        sv.put("step_control", solver.stepControl);
        m.put("solver", sv);
        out.writeJson(ModelFiles.SPEC, m);
        ParameterFile.save(out.path(ModelFiles.PARAMS), model.parameters());
    }

    @SuppressWarnings("unchecked")
    public static Loaded load(Path dir) {
        Path spec = dir.resolve(ModelFiles.SPEC);
        Map<String, Object> m = OutputDir.readJson(spec, Map.class);
        try {
            ConvClassifierSpec s = new ConvClassifierSpec(num(m, "side"), num(m, "channels"),
                    TimeInput.valueOf((String) m.get("time_input")), ConvClassifierSpec.Head.valueOf((String) m.get("head")),
                    num(m, "classes"));
            // Rebuilt in the precision it was saved in (the parameter file records it; model.json repeats it for readers).
            ConvOdeClassifier model = new ConvOdeClassifier(s, Rng.seeded(0), ParameterFile.dtype(dir.resolve(ModelFiles.PARAMS)));
            ParameterFile.load(dir.resolve(ModelFiles.PARAMS), model.parameters());
            SolverOptions so = new SolverOptions();
            Map<String, Object> sv = (Map<String, Object>) m.get("solver");
            so.solver = (String) sv.get("solver");
            so.rtol = ((Number) sv.get("rtol")).doubleValue();
            so.atol = ((Number) sv.get("atol")).doubleValue();
            so.stepControl = (String) sv.get("step_control");
            List<String> names = (List<String>) m.get("class_names");
            if (names == null || names.size() != s.classes()) {
                throw new IllegalArgumentException("field 'class_names' is missing or does not list " + s.classes() + " classes");
            }
            return new Loaded(model, so, (String) m.get("dataset"), List.copyOf(names));
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
