package org.neuralode4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.tensor.Rng;

/** Batched evaluation in file order agrees with a whole-set solve and counts every example once. */
class BatchedEvaluationTest {
    @Test
    void oneBatchEqualsTheWholeSetSolveAndBatchesCoverEveryRow() {
        AugmentedNodeClassifier m = new AugmentedNodeClassifier(ClassifierSpec.w1(), Rng.seeded(0));
        LabelledSet test = Toys2d.labelled("moons", 250, 1);
        SolverConfig cfg = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-3, 1e-3));
        ClassifierTrainer.Evaluation whole = ClassifierTrainer.evaluate(m, test, cfg);
        BatchedEvaluation one = BatchedEvaluation.run(m, test, cfg, 250);
        assertEquals(whole.accuracy(), one.accuracy(), 0.0);
        assertArrayEquals(whole.predictions(), one.predictions());
        assertEquals(whole.nfe(), one.nfeMax());
        BatchedEvaluation split = BatchedEvaluation.run(m, test, cfg, 64); // 3 × 64 + 58
        assertArrayEquals(test.labels(), split.labels());
        long[][] c = split.confusion(2);
        assertEquals(250, c[0][0] + c[0][1] + c[1][0] + c[1][1]);
        assertEquals((c[0][0] + c[1][1]) / 250.0, split.accuracy(), 1e-15);
        assertEquals(64, split.batch());
    }
}
