package io.github.whisperjava.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Task slots times ggml threads per task never exceed the executor's cores, whatever the conf says. */
class SlotPlanTest {
    private static SlotPlan plan(String... kv) {
        SparkConf conf = new SparkConf(false);
        for (int i = 0; i < kv.length; i += 2) {
            conf.set(kv[i], kv[i + 1]);
        }
        return SlotPlan.of(conf);
    }

    @Test
    void executorCoresAreSplitByTaskCpus() {
        SlotPlan p = plan("spark.master", "yarn", "spark.executor.cores", "8", "spark.task.cpus", "2");
        assertEquals(4, p.slots());
        assertEquals(2, p.threadsPerTask());
        assertEquals(8, p.executorCores());
    }

    @Test
    void localModeTakesTheNOfLocalN() {
        assertEquals(2, plan("spark.master", "local[2]").slots());
        assertEquals(3, plan("spark.master", "local[3,4]").slots());
        assertEquals(1, plan("spark.master", "local").slots());
        assertEquals(Runtime.getRuntime().availableProcessors(), plan("spark.master", "local[*]").executorCores());
    }

    @Test
    void clusterDefaultsAreSparks() {
        assertEquals(1, plan("spark.master", "yarn").executorCores());
        assertEquals(1, plan("spark.master", "k8s://https://api:443").executorCores());
    }

    @Test
    void moreCpusPerTaskThanCoresIsOneSlotOfAllCores() {
        SlotPlan p = plan("spark.master", "yarn", "spark.executor.cores", "2", "spark.task.cpus", "4");
        assertEquals(1, p.slots());
        assertEquals(2, p.threadsPerTask());
    }
}
