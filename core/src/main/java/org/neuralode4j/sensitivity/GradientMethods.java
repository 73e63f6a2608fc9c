package org.neuralode4j.sensitivity;

import java.util.List;
import java.util.Locale;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.GradientMethod;

/** The gradient methods by name, with the library's defaults: the one place command lines and studies parse them. */
public final class GradientMethods {
    private GradientMethods() {}

    /** Every name {@link #byName} accepts, in the order reports list them. */
    public static final List<String> NAMES = List.of("direct", "checkpointed", "adjoint", "interpolated");

    /**
     * direct ({@link Direct}), checkpointed ({@link Checkpointed#defaults()}), adjoint
     * ({@link BacksolveAdjoint#defaults()}) or interpolated ({@link InterpolatedAdjoint#defaults()}).
     *
     * @throws ConfigException naming the accepted names, for any other
     */
    public static GradientMethod byName(String name) {
        return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "direct" -> new Direct();
            case "checkpointed" -> Checkpointed.defaults();
            case "adjoint" -> BacksolveAdjoint.defaults();
            case "interpolated" -> InterpolatedAdjoint.defaults();
            default -> throw ConfigException.of("gradient", name, "use " + String.join(", ", NAMES));
        };
    }
}
