package io.github.whisperjava.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job JVM killed with SIGKILL between batches: the rerun transcribes only the files no committed
 * batch holds, and the table ends with exactly one row per file.
 */
class CrashResumeTest {
    @TempDir
    Path dir;

    @Test
    void aKilledRunResumesWithoutDoingWorkTwice() throws Exception {
        Path in = TranscribeJobTest.archive(dir.resolve("in"));
        Path out = dir.resolve("out");
        List<String> cmd = LocalSpark.jobCommand(LocalSpark.SHARED.resolve("models/for-tests-ggml-tiny.bin"),
                "--input", in.toString(), "--output", out.toString(), "--batch-files", "1");
        Process job = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean killed = false;
        List<String> log = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(job.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                log.add(line);
                if (line.contains("batch 3 committed")) {
                    job.destroyForcibly();   // SIGKILL: no shutdown hook, no cleanup, as a lost node
                    killed = true;
                    break;
                }
            }
        } finally {
            job.destroyForcibly();
            assertTrue(job.waitFor(60, TimeUnit.SECONDS));
        }
        assertTrue(killed, "the job never reached its third batch:\n" + String.join("\n", log));

        SparkSession spark = LocalSpark.start();
        try {
            resume(spark, in, out);
        } finally {
            spark.stop();
        }
    }

    private static void resume(SparkSession spark, Path in, Path out) {
        long committed = spark.read().parquet(out.toString()).count();
        assertTrue(committed >= 3 && committed < 9, "rows committed before the kill: " + committed);

        long calls = AudioTranscriber.calls();
        TranscribeJob.run(spark, JobOptions.parse("--input", in.toString(), "--output", out.toString()));
        assertEquals(9 - committed, AudioTranscriber.calls() - calls, "only the files no batch committed");
        assertEquals(9, spark.read().parquet(out.toString()).count());
        assertEquals(9, spark.read().parquet(out.toString()).select("path").distinct().count());
    }
}
