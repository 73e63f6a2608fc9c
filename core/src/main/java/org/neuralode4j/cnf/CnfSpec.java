package org.neuralode4j.cnf;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Mlp;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.ode.ConfigException;

/**
 * The architecture of an MLP continuous normalising flow (cnf.md §4.1), saved beside its parameters so that a
 * model can be rebuilt: {@code blocks} CNF blocks, each with its own field D → hidden… → D and its own end time.
 *
 * @param dim        D, entries per sample
 * @param hidden     hidden widths of each block's field (W2: 64, 64, 64)
 * @param activation hidden activation (tanh for the 2-D toys, softplus for tabular/images)
 * @param timeInput  how layers see t (CONCAT_SQUASH in FFJORD and RNODE)
 * @param blocks     number of stacked CNF blocks (≥ 1)
 * @param endTime    each block's T, fixed or learned
 * @param zeroLast   zero the last layer's weights so the initial field is constant (RNODE's image default)
 */
public record CnfSpec(int dim, List<Integer> hidden, Activation activation, TimeInput timeInput, int blocks,
                      EndTime endTime, boolean zeroLast) {
    public CnfSpec {
        if (dim < 1) {
            throw ConfigException.of("dim", dim, "must be >= 1");
        }
        hidden = List.copyOf(hidden);
        for (int h : hidden) {
            if (h < 1) {
                throw ConfigException.of("hidden", hidden, "widths must be >= 1");
            }
        }
        if (blocks < 1) {
            throw ConfigException.of("blocks", blocks, "must be >= 1");
        }
        if (activation == null || timeInput == null || endTime == null) {
            throw new ConfigException("cnf spec: activation, timeInput and endTime are required");
        }
    }

    /** W2 (workloads.md §2): ConcatSquash 2 → 64 → 64 → 64 → 2, tanh, 1 block, T = 0.5 fixed; 9224 parameters. */
    public static CnfSpec w2() {
        return new CnfSpec(2, List.of(64, 64, 64), Activation.TANH, TimeInput.CONCAT_SQUASH, 1, EndTime.fixed(0.5), false);
    }

    /** FFJORD's {@code train_toy.py} defaults (cnf.md §4.1): as W2 but T learned, T = q², T0 = 0.5. */
    public static CnfSpec ffjordToy() {
        return new CnfSpec(2, List.of(64, 64, 64), Activation.TANH, TimeInput.CONCAT_SQUASH, 1, EndTime.learned(0.5), false);
    }

    /** The library's RNODE 2-D preset (cnf.md §4.1): as W2 but T = 1 fixed. */
    public static CnfSpec rnode2d() {
        return new CnfSpec(2, List.of(64, 64, 64), Activation.TANH, TimeInput.CONCAT_SQUASH, 1, EndTime.fixed(1.0), false);
    }

    /** A copy with another end time. */
    public CnfSpec withEndTime(EndTime t) {
        return new CnfSpec(dim, hidden, activation, timeInput, blocks, t, zeroLast);
    }

    /** A copy with another number of blocks. */
    public CnfSpec withBlocks(int n) {
        return new CnfSpec(dim, hidden, activation, timeInput, n, endTime, zeroLast);
    }

    /** The field layout of one block: widths D, hidden…, D. */
    public Mlp.FieldConfig fieldConfig() {
        List<Integer> w = new ArrayList<>();
        w.add(dim);
        w.addAll(hidden);
        w.add(dim);
        return new Mlp.FieldConfig(w, timeInput, activation, zeroLast);
    }
}
