package org.neuralode4j.autodiff;

/**
 * Whether ops record themselves for differentiation on the current thread.
 *
 * <p>Recording is on by default. {@link #noGrad()} turns it off for a scope (inference, optimiser updates,
 * adjoint forward solves); {@link #enableGrad()} turns it back on inside such a scope (gradients taken inside
 * a dynamics evaluation that runs under no-grad). Scopes nest and restore the previous mode on close:
 * <pre>{@code try (var s = GradMode.noGrad()) { ... } }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    /** True when ops on this thread record themselves. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns recording off until the returned scope is closed. */
    public static Scope noGrad() {
        return set(false);
    }

    /** Turns recording on until the returned scope is closed. */
    public static Scope enableGrad() {
        return set(true);
    }

    /** Sets recording on or off until the returned scope is closed. */
    public static Scope set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return new Scope(cell, previous);
    }

    /** Restores the previous mode when closed; closing twice is harmless. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] cell;
        private final boolean previous;
        private boolean closed;

        private Scope(boolean[] cell, boolean previous) {
            this.cell = cell;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                cell[0] = previous;
                closed = true;
            }
        }
    }
}
