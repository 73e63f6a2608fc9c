package org.neuralode4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.AutodiffException;
import org.neuralode4j.autodiff.ops.Ops;

/** The dtype contract: ops keep their inputs' dtype, refuse mixed dtypes by name, and cast explicitly. */
class DTypeTest {
    private final Rng rng = Rng.seeded(9);

    @Test
    void mixedDtypesAreAnErrorNamingTheOpAndBothDtypes() {
        Tensor a = rng.normal(3, 4);
        Tensor b = rng.normal(DType.F32, 0, 1, 3, 4);
        DTypeException add = assertThrows(DTypeException.class, () -> Ops.add(a, b));
        assertTrue(add.getMessage().startsWith("add: mixed dtypes f64 and f32"), add.getMessage());
        DTypeException mm = assertThrows(DTypeException.class, () -> Ops.matmul(a, Ops.transpose(b)));
        assertTrue(mm.getMessage().contains("matmul") && mm.getMessage().contains("f32"), mm.getMessage());
        DTypeException lin = assertThrows(DTypeException.class, () -> Ops.linear(b, a, null));
        assertTrue(lin.getMessage().contains("linear: mixed dtypes f32 and f64"), lin.getMessage());
        assertThrows(DTypeException.class, () -> Ops.linearCombination(new double[] {1, 2}, a, b));
        assertThrows(DTypeException.class, () -> Ops.concat(List.of(a, b), 0));
    }

    @Test
    void castIsDifferentiableAndItsGradientCastsBack() {
        Tensor x = rng.normal(2, 3).requiringGrad();
        Tensor y = Ops.cast(x, DType.F32);
        assertEquals(DType.F32, y.dtype());
        Tensor loss = Ops.sum(Ops.square(y));
        Tensor g = Autograd.grad(List.of(loss), List.of(x), null, false, false).get(0);
        assertEquals(DType.F64, g.dtype());
        for (int i = 0; i < x.size(); i++) {
            assertEquals(2 * (float) x.getFlat(i), g.getFlat(i), 1e-6);
        }
        assertSame(x, Ops.cast(x, DType.F64), "casting to the same dtype is the identity");
    }

    @Test
    void gradientsAndSeedsKeepTheDtype() {
        Tensor x = rng.normal(DType.F32, 0, 1, 4).requiringGrad();
        Tensor unused = rng.normal(DType.F32, 0, 1, 2).requiringGrad();
        Tensor loss = Ops.sum(Ops.tanh(x));
        List<Tensor> g = Autograd.grad(List.of(loss), List.of(x, unused), null, false, true);
        assertEquals(DType.F32, g.get(0).dtype());
        assertEquals(DType.F32, g.get(1).dtype(), "zeros for an unused input take its dtype");
        Tensor out = Ops.tanh(x);
        assertThrows(AutodiffException.class,
                () -> Autograd.grad(List.of(out), List.of(x), List.of(Tensor.ones(4)), false, false));
    }

    @Test
    void rngDrawsTheSameValuesRoundedToTheDtype() {
        Tensor d = Rng.seeded(5).normal(0.0, 1.0, 6);
        Tensor f = Rng.seeded(5).normal(DType.F32, 0, 1, 6);
        assertEquals(DType.F32, f.dtype());
        for (int i = 0; i < 6; i++) {
            assertEquals((float) d.getFlat(i), f.getFlat(i), 0.0);
        }
        assertEquals(DType.F32, Rng.seeded(1).uniform(DType.F32, -1, 1, 3).dtype());
        assertEquals(DType.F32, Rng.seeded(1).rademacher(DType.F32, 3).dtype());
    }

    @Test
    void conversionsAndParsing() {
        Tensor t = Tensor.of(DType.F32, new double[] {0.1, 1e40, -2}, 3);
        assertEquals(DType.F32, t.dtype());
        assertEquals((float) 0.1, t.getFlat(0), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, t.getFlat(1));
        assertTrue(!t.allFinite());
        assertEquals(DType.F64, t.to(DType.F64).dtype());
        assertEquals(DType.F32, DType.parse("F32"));
        assertEquals(DType.F64, DType.parse("float64"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.parse("f16"));
        assertTrue(e.getMessage().contains("use f32 or f64"), e.getMessage());
        assertEquals(DType.F32, Tensor.zeros(DType.F32, 2, 2).dtype());
        assertEquals(4, Tensor.full(DType.F32, 1.5, Shape.of(4)).size());
        assertEquals(DType.F32, Tensor.scalar(DType.F32, 2).dtype());
    }
}
