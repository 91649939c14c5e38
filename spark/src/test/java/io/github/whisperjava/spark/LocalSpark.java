package io.github.whisperjava.spark;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** A real Spark in local[2] (two task threads in this JVM, which is the one executor), and the test data. */
final class LocalSpark {
    private LocalSpark() {}

    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir", "../../shared")).toAbsolutePath().normalize();
    static final Path AUDIO = Paths.get(System.getProperty("whisper.test.audio",
            "../whisper-java/src/test/resources/audio")).toAbsolutePath().normalize();

    /**
     * The command of a job JVM of its own (TranscribeJob's main in local[2], with the flags spark-submit
     * would add): what a test needs when this JVM's one executor model is not the model it wants.
     */
    static List<String> jobCommand(Path model, String... jobArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(System.getProperty("spark.java.options").trim().split("\\s+")));
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
                "-Dspark.driver.bindAddress=127.0.0.1",
                "-Dwhisper.model.path=" + model,
                "-Dwhisper.native.cache=" + System.getProperty("whisper.native.cache"),
                TranscribeJob.class.getName()));
        cmd.addAll(List.of(jobArgs));
        return cmd;
    }

    static SparkSession start() {
        // the executor's model comes from the environment's settings, here their -D twin
        System.setProperty("whisper.model.path", SHARED.resolve("models/for-tests-ggml-tiny.bin").toString());
        return SparkSession.builder()
                .master("local[2]")
                .appName("whisper-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                // transcribe(content) in SQL by configuration, as spark-sql and PySpark users get it
                .config("spark.sql.extensions", WhisperSparkExtensions.class.getName())
                .getOrCreate();
    }
}
