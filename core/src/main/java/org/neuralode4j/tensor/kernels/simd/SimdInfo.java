package org.neuralode4j.tensor.kernels.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Facts about the Vector API on this machine. Loaded only when the module is present. */
public final class SimdInfo {
    /** The widest double species the CPU supports (4 lanes on AVX2). */
    public static final VectorSpecies<Double> F64 = DoubleVector.SPECIES_PREFERRED;
    /** The float species of the same width (8 lanes on AVX2). */
    public static final VectorSpecies<Float> F32 = FloatVector.SPECIES_PREFERRED;

    private SimdInfo() {}

    /** False where the preferred shape is a single lane: then SIMD kernels would only add overhead. */
    public static boolean usable() {
        return F64.length() >= 2;
    }

    public static String describe() {
        return F64.length() + " x f64 / " + F32.length() + " x f32 lanes";
    }
}
