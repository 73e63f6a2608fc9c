package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

/** stability.md §6 T-1 (values), T-2 (properties), T-4 (μ₂'s gradient) and T-12 (tanh's derivative). */
class LogNormsTest {

    @Test
    void t1ClosedFormValues() {
        double[] a = {-3, 1, 2, -1};
        assertEquals(0.0, LogNorms.mu1(a), 1e-15);
        assertEquals(1.0, LogNorms.muInf(a), 1e-15);
        assertEquals(-2 + Math.sqrt(3.25), LogNorms.mu2(a), 1e-14);
        assertEquals(-0.1972243623, LogNorms.mu2(a), 1e-10);
        double top = -2 + Math.sqrt(3); // −0.2679491924, the largest eigenvalue
        assertTrue(top <= LogNorms.mu1(a) && top <= LogNorms.muInf(a) && top <= LogNorms.mu2(a));
        assertEquals(1.0, LogNorms.mu2(new double[] {0, 2, 0, 0}), 1e-15, "nilpotent N: μ₂ = 1, eigenvalues 0");
        double[] c = {-1, 3, -3, -1};
        assertEquals(-1.0, LogNorms.mu2(c), 1e-15);
        assertEquals(-0.55 + Math.sqrt(2.025), LogNorms.mu2OfScaled(new double[] {1, 0.1}, c), 1e-14);
        assertEquals(0.8730249471, LogNorms.mu2OfScaled(new double[] {1, 0.1}, c), 1e-10);
    }

    @Test
    void t2PropertiesOnRandomMatrices() {
        Random r = new Random(2);
        for (int trial = 0; trial < 1000; trial++) {
            int n = 1 + trial % 8;
            double[] a = Instances.gaussian(r, n, 1);
            double[] b = Instances.gaussian(r, n, 1);
            double maxRe = maxRealEigenvalue(a);
            double m2 = LogNorms.mu2(a);
            assertTrue(maxRe <= m2 + 1e-12 && maxRe <= LogNorms.mu1(a) + 1e-12 && maxRe <= LogNorms.muInf(a) + 1e-12);
            assertTrue(m2 <= Instances.spectralNorm(a) + 1e-12);
            assertTrue(LogNorms.mu2(SquareMatrices.plusScaled(a, 1, b)) <= m2 + LogNorms.mu2(b) + 1e-12);
            double c = r.nextGaussian();
            assertEquals(m2 + c, LogNorms.mu2(SquareMatrices.plusScaled(a, 1, SquareMatrices.identity(n, c))), 1e-12);
            double[] sym = LogNorms.sym(a);
            for (double t : new double[] {0.1, 1}) {
                double bound = Math.exp(t * m2);
                assertTrue(Instances.spectralNorm(Instances.expm(SquareMatrices.scaled(t, a))) <= bound * (1 + 1e-12));
                double symBound = Math.exp(t * LogNorms.mu2(sym));
                assertEquals(symBound, Instances.spectralNorm(Instances.expm(SquareMatrices.scaled(t, sym))),
                        1e-12 * symBound, "equality for symmetric A");
            }
        }
    }

    private static double maxRealEigenvalue(double[] a) {
        int n = SquareMatrices.side(a);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, false);
        assertTrue(eig.decompose(new DMatrixRMaj(n, n, true, a.clone())));
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, eig.getEigenvalue(i).real);
        }
        return m;
    }

    @Test
    void t4Mu2GradientOfScaledMatrixByCentralDifferences() {
        Random r = new Random(4);
        int n = 6;
        int checked = 0;
        for (int trial = 0; trial < 20; trial++) {
            double[] a = Instances.gaussian(r, n, 1);
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = 0.05 + 0.95 * r.nextDouble();
            }
            double[] p = Instances.gaussian(r, n, 1);
            double[] da = scale(d, a);
            double[] ev = Instances.symEigenvalues(LogNorms.sym(da));
            if (ev[n - 1] - ev[n - 2] < 1e-3) {
                continue; // the top eigenvalue is not simple enough for a derivative (§6 T-4)
            }
            // ∂λ_max(Sym(D(A + sP)))/∂s = ⟨D v vᵀ, P⟩ with v vᵀ = ∂μ₂/∂J at J = DA
            double[] vv = LogNorms.mu2Gradient(da);
            double analytic = SquareMatrices.dot(scale(d, vv), p);
            double s = 1e-6;
            double fd = (LogNorms.mu2OfScaled(d, SquareMatrices.plusScaled(a, s, p))
                    - LogNorms.mu2OfScaled(d, SquareMatrices.plusScaled(a, -s, p))) / (2 * s);
            assertEquals(analytic, fd, 1e-6 * Math.max(1, Math.abs(analytic)));
            checked++;
        }
        assertTrue(checked >= 15, "too many skipped draws: " + checked);
    }

    static double[] scale(double[] d, double[] a) {
        int n = d.length;
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = d[i] * a[i * n + j];
            }
        }
        return out;
    }

    @Test
    void t12TanhDerivativeIsOneOverCoshSquared() {
        double d = FieldActivation.TANH.derivative(20);
        assertTrue(d > 0);
        assertEquals(1.6994e-17, d, 1e-20);
        double naive = 1 - Math.tanh(20) * Math.tanh(20);
        assertEquals(0.0, naive, "the naive form cancels to exactly 0");
        assertEquals(1.0, FieldActivation.TANH.derivative(0), 0);
        assertEquals(0.0, FieldActivation.TANH.derivative(800), 0, "cosh overflows: the correctly rounded 0");
        assertTrue(FieldActivation.SIGMOID.derivative(-50) > 0);
        assertEquals(0.25, FieldActivation.SIGMOID.derivative(0), 1e-16);
        assertEquals(0.5, FieldActivation.SOFTPLUS.derivative(0), 1e-16);
    }
}
