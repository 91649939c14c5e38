package io.github.whisperjava.spark;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.SparkSession;

/** A real Spark in local[2] (two task threads in this JVM, which is the one executor), and the test data. */
final class LocalSpark {
    private LocalSpark() {}

    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir", "../../shared")).toAbsolutePath().normalize();
    static final Path AUDIO = Paths.get(System.getProperty("whisper.test.audio",
            "../whisper-java/src/test/resources/audio")).toAbsolutePath().normalize();

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
