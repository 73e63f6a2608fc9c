package org.neuralode4j.ode.tableau;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Butcher's rooted trees (solvers.md §1.3) as multisets of subtrees: a tree is its root with an unordered list of
 * child trees. Kept in a canonical form (children sorted by their keys) so that equal trees have equal keys.
 */
final class RootedTree {
    final List<RootedTree> children;
    /** |τ|, the number of nodes. */
    final int order;
    /** γ(•) = 1, γ(τ) = |τ|·∏ γ(τ_k). */
    final long gamma;
    /** Canonical text, e.g. "[]" for •, "[[][]]" for the tree with two leaves. */
    final String key;

    private RootedTree(List<RootedTree> children) {
        List<RootedTree> sorted = new ArrayList<>(children);
        sorted.sort((x, y) -> x.key.compareTo(y.key));
        this.children = List.copyOf(sorted);
        this.order = 1 + sorted.stream().mapToInt(t -> t.order).sum();
        this.gamma = order * sorted.stream().mapToLong(t -> t.gamma).reduce(1, (x, y) -> x * y);
        this.key = sorted.stream().map(t -> t.key).collect(Collectors.joining("", "[", "]"));
    }

    /**
     * All trees of orders 1..n: element k − 1 lists the trees of order k. Each tree of order k + 1 arises by
     * grafting one leaf onto some node of a tree of order k; duplicates are merged through the canonical key.
     */
    static List<List<RootedTree>> upTo(int n) {
        List<List<RootedTree>> byOrder = new ArrayList<>();
        byOrder.add(List.of(new RootedTree(List.of())));
        for (int k = 2; k <= n; k++) {
            Map<String, RootedTree> next = new LinkedHashMap<>();
            for (RootedTree t : byOrder.get(k - 2)) {
                for (RootedTree g : t.graftings()) {
                    next.putIfAbsent(g.key, g);
                }
            }
            byOrder.add(List.copyOf(next.values()));
        }
        return byOrder;
    }

    /** Every tree obtained by adding one leaf to one node of this tree. */
    private List<RootedTree> graftings() {
        List<RootedTree> out = new ArrayList<>();
        List<RootedTree> withLeaf = new ArrayList<>(children);
        withLeaf.add(new RootedTree(List.of()));
        out.add(new RootedTree(withLeaf));
        for (int j = 0; j < children.size(); j++) {
            for (RootedTree grown : children.get(j).graftings()) {
                List<RootedTree> replaced = new ArrayList<>(children);
                replaced.set(j, grown);
                out.add(new RootedTree(replaced));
            }
        }
        return out;
    }
}
