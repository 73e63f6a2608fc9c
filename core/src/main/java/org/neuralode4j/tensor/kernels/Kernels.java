package org.neuralode4j.tensor.kernels;

/**
 * Chooses, once per JVM, between the Vector API kernels ({@code kernels.simd}) and the plain-Java fallback.
 *
 * <p>The Vector API lives in the incubator module {@code jdk.incubator.vector}; a JVM started without
 * {@code --add-modules jdk.incubator.vector} cannot load those classes, so we probe for the module and only
 * then touch the SIMD classes. The system property {@code neuralode4j.kernels=plain} forces the fallback
 * (CI runs the kernel and gradient tests both ways); {@code neuralode4j.kernels=simd} demands the Vector API
 * and fails loudly when it is absent.
 */
public final class Kernels {
    /** System property selecting the kernel family: {@code auto} (default), {@code plain} or {@code simd}. */
    public static final String PROPERTY = "neuralode4j.kernels";

    private static final boolean SIMD = decide();

    private Kernels() {}

    /** True when the Vector API kernels are in use. */
    public static boolean simd() {
        return SIMD;
    }

    /** True when the Vector API module is present in this JVM (whether or not it is used). */
    public static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** A one-line description for logs and benchmark reports. */
    public static String describe() {
        return SIMD ? "Vector API (" + org.neuralode4j.tensor.kernels.simd.SimdInfo.describe() + ")"
                : "plain Java" + (vectorApiPresent() ? " (forced by -D" + PROPERTY + "=plain)"
                        : " (start the JVM with --add-modules jdk.incubator.vector for the fast kernels)");
    }

    private static boolean decide() {
        String mode = System.getProperty(PROPERTY, "auto").trim().toLowerCase(java.util.Locale.ROOT);
        boolean present = vectorApiPresent();
        switch (mode) {
            case "plain":
                return false;
            case "simd":
                if (!present) {
                    throw new IllegalStateException("-D" + PROPERTY + "=simd but the JVM has no jdk.incubator.vector module:"
                            + " start it with --add-modules jdk.incubator.vector");
                }
                return true;
            case "auto":
                return present && org.neuralode4j.tensor.kernels.simd.SimdInfo.usable();
            default:
                throw new IllegalStateException("-D" + PROPERTY + "=" + mode + " is not a kernel family: use auto, plain or simd");
        }
    }
}
