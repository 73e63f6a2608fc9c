package org.neuralode4j.spark.sweep;

import java.util.List;
import java.util.Locale;
import org.neuralode4j.NeuralOdeException;

/**
 * What a sweep trains, and which of its final metrics (metrics.json → final) are the Pareto plot's cost and quality.
 */
public enum SweepTarget {
    TRAIN(List.of("train"), "test_nfe", "test_accuracy", true),
    DENSITY_TRAIN(List.of("density", "train"), "nfe", "nll", false);

    final List<String> command;
    final String cost;
    final String quality;
    final boolean higherIsBetter;

    SweepTarget(List<String> command, String cost, String quality, boolean higherIsBetter) {
        this.command = command;
        this.cost = cost;
        this.quality = quality;
        this.higherIsBetter = higherIsBetter;
    }

    static SweepTarget of(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace(' ', '-')) {
            case "train" -> TRAIN;
            case "density-train" -> DENSITY_TRAIN;
            default -> throw new NeuralOdeException("--command " + name + " is unknown: use train or density-train");
        };
    }

    String label() {
        return String.join(" ", command);
    }
}
