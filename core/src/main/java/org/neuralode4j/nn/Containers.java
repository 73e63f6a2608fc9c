package org.neuralode4j.nn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neuralode4j.NeuralOdeException;

/** Naming shared by the containers: built once at construction, so that containers hand out stable parameter objects. */
final class Containers {
    private Containers() {}

    /**
     * Child i's parameters renamed {@code layers.i.<name>}, in child order. A child with parameters may appear
     * only once: twice would list one slot under two names, and an optimiser would then update it twice per step.
     */
    static List<Parameter> prefixedParameters(List<? extends Parameterized> children) {
        List<Parameter> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<Parameterized, Integer> owners = new IdentityHashMap<>();
        for (int i = 0; i < children.size(); i++) {
            Parameterized child = children.get(i);
            List<Parameter> ps = child.parameters();
            Integer first = ps.isEmpty() ? null : owners.putIfAbsent(child, i);
            if (first != null) {
                throw new NeuralOdeException("container: children " + first + " and " + i + " are the same module (" + child
                        + "); parameters cannot be shared between positions, construct a second layer");
            }
            for (Parameter p : ps) {
                Parameter named = p.prefixed("layers." + i);
                if (!seen.add(named.name())) {
                    throw new NeuralOdeException("container: child " + i + " has two parameters named '" + p.name() + "'");
                }
                out.add(named);
            }
        }
        return List.copyOf(out);
    }
}
