package org.neuralode4j.cli.studies;

import java.util.List;
import java.util.Optional;

/** The registry of studies: adding one is a line here and the study's own file. */
public final class Studies {
    private static final List<Study> ALL = List.of(new ConditioningStudy(), new RnodeStudy(), new IrdmStudy(),
            new LognormStudy());

    private Studies() {}

    public static List<Study> all() {
        return ALL;
    }

    public static Optional<Study> find(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** "conditioning, rnode, irdm, lognorm" for error messages and help. */
    public static String names() {
        return String.join(", ", ALL.stream().map(Study::name).toList());
    }
}
