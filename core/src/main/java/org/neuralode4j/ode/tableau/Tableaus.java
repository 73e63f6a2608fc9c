package org.neuralode4j.ode.tableau;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuralode4j.ode.ConfigException;

/**
 * Index of the built-in tableaus by their spec names (solvers.md §1.1–§1.2): EULER, MIDPOINT, HEUN, RK4, RK4_38,
 * BOSH3, DOPRI5, TSIT5, DOP853, plus the alias DOPRI8 for DOP853 (§1.2: in neuralode4j "Dopri8" means DOP853,
 * not torchdiffeq's 13-stage {@code dopri8}) and DOPRI5_TORCHDIFFEQ, the name of DOPRI5 with torchdiffeq's error
 * weights, so that every built-in tableau's {@link Tableau#name()} resolves back to it.
 */
public final class Tableaus {
    private static final List<Tableau> ALL = List.of(Euler.TABLEAU, Midpoint.TABLEAU, Heun.TABLEAU, Rk4.TABLEAU,
            Rk438.TABLEAU, Bosh3.TABLEAU, Dopri5.TABLEAU, Tsit5.TABLEAU, Dop853.TABLEAU);

    private static final Map<String, Tableau> BY_NAME = new LinkedHashMap<>();

    static {
        for (Tableau t : ALL) {
            BY_NAME.put(t.name(), t);
        }
        BY_NAME.put("DOPRI8", Dop853.TABLEAU);
        BY_NAME.put(Dopri5.TORCHDIFFEQ.name(), Dopri5.TORCHDIFFEQ);
    }

    private Tableaus() {}

    /** The tableau with this name, ignoring case; an unknown name is a ConfigException listing the valid ones. */
    public static Tableau byName(String name) {
        Tableau t = name == null ? null : BY_NAME.get(name.trim().toUpperCase(Locale.ROOT));
        if (t == null) {
            throw ConfigException.of("method", name, "one of " + String.join(", ", BY_NAME.keySet()) + " (case-insensitive)");
        }
        return t;
    }

    /** The nine built-in methods, one tableau each (DOPRI5 with the standard error weights), in spec order. */
    public static List<Tableau> all() {
        return ALL;
    }
}
