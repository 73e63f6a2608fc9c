package org.neuralode4j.spark;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.neuralode4j.NeuralOdeException;

/**
 * Independent work items as one-task Spark jobs: item i is a one-partition job over {i}. A task that exhausts its
 * attempts fails only its own job, so the driver can record that item as failed while the others go on (in a single
 * job of n partitions, one exhausted task aborts them all). Jobs submitted together run as executor cores free up.
 */
public final class OneTaskJobs {
    private OneTaskJobs() {}

    /** What one item's job gave: its task's value, or why it failed (after Spark's attempts). */
    public record Outcome(String value, String failure) {
        public boolean failed() {
            return failure != null;
        }
    }

    /** Starts item {@code index}'s job without waiting for it. */
    public static <F extends Function<Integer, String> & Serializable> JavaFutureAction<List<String>> submit(
            JavaSparkContext spark, int index, F task, String description) {
        spark.setJobDescription(description);
        return spark.parallelize(List.of(index), 1).map(task).collectAsync();
    }

    /** Waits for one job. */
    public static Outcome await(JavaFutureAction<List<String>> job) {
        try {
            return new Outcome(job.get().get(0), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NeuralOdeException("interrupted while waiting for Spark");
        } catch (ExecutionException e) {
            return new Outcome(null, failure(e.getCause()));
        }
    }

    /** The task's own error from Spark's job-abort message, on one line. */
    static String failure(Throwable t) {
        String m = t == null || t.getMessage() == null ? String.valueOf(t) : t.getMessage();
        String first = m.split("\n")[0];
        int at = first.indexOf("most recent failure: ");
        String attempts = first.replaceAll(".*failed (\\d+) times?.*", "$1");
        String why = at >= 0 ? first.substring(at + "most recent failure: ".length()) : first;
        why = why.replaceFirst("^Lost task [^:]*\\): ", "");
        return (attempts.matches("\\d+") ? "failed " + attempts + " attempt(s): " : "") + why;
    }
}
