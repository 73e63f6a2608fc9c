package org.neuralode4j.spark;

import java.io.File;
import java.net.URISyntaxException;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.neuralode4j.NeuralOdeException;

/**
 * Starts the Spark session of one command: quiet logging, the task attempt count, and the application's jars for a
 * cluster. The one place that knows Spark's configuration keys.
 */
public final class Sessions {
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,(\\d+))?])?");

    private Sessions() {}

    /** Spark's INFO logging off (warnings and errors stay), unless the user configured log4j2 themselves. */
    public static void quietLogging() {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:org/neuralode4j/spark/log4j2-quiet.properties");
        }
    }

    /**
     * A session on {@code master}. A task that fails is tried up to {@code attempts} times: spark.task.maxFailures on
     * a cluster; local mode ignores that key and takes the count from the master URL, local[N,attempts].
     */
    public static SparkSession start(String master, int attempts, String app) {
        return start(master, attempts, app, java.util.Map.of());
    }

    /** As {@link #start(String, int, String)}, with further Spark settings (tests: executor class path, hosts). */
    public static SparkSession start(String master, int attempts, String app, java.util.Map<String, String> conf) {
        if (attempts < 1) {
            throw new NeuralOdeException("--task-attempts must be >= 1 (got " + attempts + ")");
        }
        String url = withAttempts(master, attempts);
        SparkSession.Builder b = SparkSession.builder().master(url).appName(app)
                .config("spark.task.maxFailures", String.valueOf(attempts))
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false");
        conf.forEach(b::config);
        if (!url.startsWith("local") && !conf.containsKey("spark.jars")) {
            String jars = applicationJars();
            if (!jars.isEmpty()) {
                b.config("spark.jars", jars);
            }
        }
        try {
            SparkSession s = b.getOrCreate();
            s.sparkContext().setLogLevel("WARN");
            return s;
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
            throw new NeuralOdeException("cannot start Spark on --master " + master + ": " + why);
        }
    }

    /** local, local[N], local[*] get the attempt count; other URLs (and local[N,F]) are left as given. */
    static String withAttempts(String master, int attempts) {
        Matcher m = LOCAL.matcher(master.trim());
        if (!m.matches()) {
            if (master.isBlank() || !master.contains("://")) {
                throw new NeuralOdeException("--master '" + master + "' is not a Spark master URL: use local[*],"
                        + " local[N] or spark://host:port");
            }
            return master.trim();
        }
        if (m.group(2) != null) {
            return master.trim();
        }
        String threads = m.group(1) == null ? "1" : m.group(1);
        return "local[" + threads + "," + attempts + "]";
    }

    /**
     * The jars of this application (this module's and the CLI's, which carries the core), which a cluster's executors
     * fetch from the driver; empty when running from class folders (tests set the executors' class path instead).
     */
    static String applicationJars() {
        Set<String> jars = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {Sessions.class, org.neuralode4j.cli.Main.class, NeuralOdeException.class}) {
            CodeSource cs = c.getProtectionDomain().getCodeSource();
            if (cs == null) {
                continue;
            }
            try {
                File f = new File(cs.getLocation().toURI());
                if (f.isFile() && f.getName().endsWith(".jar")) {
                    jars.add(f.getAbsolutePath());
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // Not a file location: nothing to ship.
            }
        }
        return String.join(",", jars);
    }
}
