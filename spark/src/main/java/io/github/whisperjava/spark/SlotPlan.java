package io.github.whisperjava.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * How one executor's cores are split between Spark's task threads and whisper's ggml threads.
 *
 * <p>Spark runs {@code spark.executor.cores / spark.task.cpus} tasks at once in an executor and
 * promises each task {@code spark.task.cpus} cores. Giving every transcription exactly that many ggml
 * threads, a state pool of one state per task slot, and a JVM-wide CPU budget of the executor's cores
 * means the executor never runs more compute threads than the cores it was granted, however the
 * tasks land. On YARN or Kubernetes the JVM may see the whole machine's processors, so the budget must
 * come from Spark's conf, not from {@code availableProcessors()}.
 */
record SlotPlan(int executorCores, int taskCpus) {

    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(?:,\\d+)?]");

    SlotPlan {
        if (executorCores < 1 || taskCpus < 1) {
            throw new IllegalArgumentException("cores and task cpus must be positive: " + executorCores + ", " + taskCpus);
        }
    }

    /** Task threads that may transcribe at once: the size of the model's state pool. */
    int slots() {
        return Math.max(1, executorCores / taskCpus);
    }

    /** ggml threads per transcription. */
    int threadsPerTask() {
        return Math.min(taskCpus, executorCores);
    }

    static SlotPlan of(SparkConf conf) {
        int taskCpus = conf.getInt("spark.task.cpus", 1);
        return new SlotPlan(executorCores(conf), taskCpus);
    }

    /** {@code spark.executor.cores}; in local mode the N of {@code local[N]}, where the driver is the executor. */
    private static int executorCores(SparkConf conf) {
        if (conf.contains("spark.executor.cores")) {
            return conf.getInt("spark.executor.cores", 1);
        }
        String master = conf.get("spark.master", "");
        int available = Runtime.getRuntime().availableProcessors();
        if (master.equals("local")) {
            return 1;
        }
        Matcher m = LOCAL.matcher(master);
        if (m.matches()) {
            return m.group(1).equals("*") ? available : Integer.parseInt(m.group(1));
        }
        // Spark's own defaults: 1 core on YARN and Kubernetes, all the worker's cores on standalone
        if (master.startsWith("yarn") || master.startsWith("k8s")) {
            return 1;
        }
        return available;
    }
}
