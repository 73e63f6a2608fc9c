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
    /** [recording on, create-graph derivative expected, one backward pass expected], per thread. */
    private static final ThreadLocal<boolean[]> ENABLED =
            ThreadLocal.withInitial(() -> new boolean[] {true, false, false});

    private GradMode() {}

    /** True when ops on this thread record themselves. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /**
     * A hint, not a mode: the caller will take a create-graph vector–Jacobian product of what it computes inside
     * the returned scope (a Jacobian regulariser differentiating the field). Fused ops whose create-graph rule
     * would redo work that the plain chain of ops shares then record that chain instead ({@code Ops.mlpTanh}).
     * Values and derivatives are the same either way.
     */
    public static Scope expectHigherOrder() {
        return hint(1);
    }

    /** True inside {@link #expectHigherOrder()}. */
    public static boolean higherOrderExpected() {
        return ENABLED.get()[1];
    }

    /**
     * A hint, not a mode: the caller differentiates what it records inside the returned scope exactly once, before
     * it records anything more (an adjoint's vector–Jacobian product of one field evaluation). Ops may then keep
     * what their backward rule needs in buffers they reuse at their next evaluation instead of fresh arrays
     * ({@code ClosedFormField}). Values and derivatives are the same either way.
     */
    public static Scope expectSingleBackward() {
        return hint(2);
    }

    /** Sets hint {@code slot} of this thread's cell until the returned scope is closed. */
    private static Scope hint(int slot) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[slot];
        cell[slot] = true;
        return new Scope(cell, slot, previous);
    }

    /** True inside {@link #expectSingleBackward()}. */
    public static boolean singleBackwardExpected() {
        return ENABLED.get()[2];
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
        return new Scope(cell, 0, previous);
    }

    /** Restores the previous mode when closed; closing twice is harmless. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] cell;
        private final int index;
        private final boolean previous;
        private boolean closed;

        private Scope(boolean[] cell, int index, boolean previous) {
            this.cell = cell;
            this.index = index;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                cell[index] = previous;
                closed = true;
            }
        }
    }
}
