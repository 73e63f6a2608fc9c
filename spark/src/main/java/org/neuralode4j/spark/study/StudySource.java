package org.neuralode4j.spark.study;

import java.io.Serializable;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.studies.Plan;
import org.neuralode4j.cli.studies.Studies;
import org.neuralode4j.cli.studies.Study;

/**
 * How an executor rebuilds a study and its plan: tasks ship this small description, never the study object, and
 * every JVM derives the same plan from it (plans are fixed functions of the study and the mode).
 */
public interface StudySource extends Serializable {
    Study study();

    Plan plan();

    /** The command line the report's header names. */
    String command();

    /** A study of the registry by name, its quick or full plan. */
    record Named(String name, boolean quick) implements StudySource {
        public Named {
            if (Studies.find(name).isEmpty()) {
                throw new NeuralOdeException("study '" + name + "' is unknown: available: " + Studies.names());
            }
        }

        @Override
        public Study study() {
            return Studies.find(name).orElseThrow();
        }

        @Override
        public Plan plan() {
            return study().plan(quick);
        }

        @Override
        public String command() {
            return "spark study " + name + (quick ? " --quick" : "");
        }
    }
}
