package io.github.whisperjava.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real job in local[2] over the shared audio and broken files: rows, statuses, one model, resumed runs. */
class TranscribeJobTest {
    static SparkSession spark;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Four good files (WAV, MP3, FLAC, Ogg) and five that are not audio the library reads, in subfolders. */
    static Path archive(Path root) throws IOException {
        Path good = Files.createDirectories(root.resolve("2025/01"));
        Path bad = Files.createDirectories(root.resolve("2025/02"));
        Files.copy(LocalSpark.SHARED.resolve("audio/jfk.wav"), good.resolve("jfk.wav"));
        for (String f : List.of("jfk.mp3", "jfk.flac", "jfk.ogg")) {
            Files.copy(LocalSpark.AUDIO.resolve(f), good.resolve(f));
        }
        Files.copy(LocalSpark.AUDIO.resolve("unsupported.opus"), bad.resolve("call.opus"));
        Files.copy(LocalSpark.AUDIO.resolve("unsupported.m4a"), bad.resolve("call.m4a"));
        byte[] wav = Files.readAllBytes(LocalSpark.SHARED.resolve("audio/jfk.wav"));
        Files.write(bad.resolve("truncated.wav"), Arrays.copyOf(wav, 30));
        byte[] noise = new byte[8192];
        new Random(13).nextBytes(noise);
        Files.write(bad.resolve("garbled.mp3"), noise);
        Files.write(bad.resolve("empty.wav"), new byte[0]);
        return root;
    }

    static Map<String, Row> byName(Path output, String format) {
        List<Row> rows = spark.read().format(format).load(output.toString()).collectAsList();
        Map<String, Row> m = new TreeMap<>();
        for (Row r : rows) {
            String path = r.getAs("path");
            assertNull(m.put(path.substring(path.lastIndexOf('/') + 1), r), "one row per file: " + path);
        }
        return m;
    }

    @Test
    void everyFileIsOneRowAndARerunDoesNoWorkTwice() throws IOException {
        Path in = archive(dir.resolve("in"));
        Path out = dir.resolve("out");
        JobOptions o = JobOptions.parse("--input", in.toString(), "--output", out.toString(), "--batch-files", "4");

        long calls = AudioTranscriber.calls();
        TranscribeJob.Summary s = TranscribeJob.run(spark, o);
        assertEquals(9, s.files(), TranscribeJob.paths(spark, o).toString());
        assertEquals(3, s.batches());
        assertEquals(9, AudioTranscriber.calls() - calls);
        assertEquals(1, ExecutorModel.loads(), "one model for both task threads of the executor");

        Map<String, Row> rows = byName(out, "parquet");
        assertEquals(9, rows.size());
        for (String f : List.of("jfk.wav", "jfk.mp3", "jfk.flac", "jfk.ogg")) {
            Row r = rows.get(f);
            assertEquals("ok", r.getAs("status"), f + ": " + r.getAs("error"));
            assertEquals("en", r.getAs("language"));
            assertEquals(11.0, (double) r.getAs("duration"), 0.1, f);
            assertNotNull(r.getAs("segments"));
            assertEquals(64, ((String) r.getAs("content_sha256")).length());
            assertNotNull(r.getAs("transcribed_at"));
        }
        for (String f : List.of("call.opus", "call.m4a", "truncated.wav", "garbled.mp3", "empty.wav")) {
            Row r = rows.get(f);
            assertEquals("invalid", r.getAs("status"), f);
            assertTrue(((String) r.getAs("error")).length() > 3, f + ": " + r.getAs("error"));
            assertNull(r.getAs("text"));
        }
        assertTrue(((String) rows.get("call.opus").getAs("error")).contains("Opus"), (String) rows.get("call.opus").getAs("error"));

        // the rerun: everything is done, nothing is transcribed again
        calls = AudioTranscriber.calls();
        s = TranscribeJob.run(spark, o);
        assertEquals(9, s.skippedBefore());
        assertEquals(0, AudioTranscriber.calls() - calls);
        assertEquals(9, byName(out, "parquet").size());

        // a file that arrived since: only it is transcribed
        Files.copy(LocalSpark.SHARED.resolve("audio/jfk.wav"), in.resolve("2025/late.wav"));
        calls = AudioTranscriber.calls();
        TranscribeJob.run(spark, o);
        assertEquals(1, AudioTranscriber.calls() - calls);
        rows = byName(out, "parquet");
        assertEquals(10, rows.size());
        assertEquals("ok", rows.get("late.wav").getAs("status"));
        assertEquals(1, ExecutorModel.loads());
    }

    @Test
    void aManifestToJsonGivesTheSameRows() throws IOException {
        Path in = archive(dir.resolve("manifest-in"));
        Path manifest = dir.resolve("paths.txt");
        try (var files = Files.walk(in)) {
            // plain local paths, one missing: it is a row with its error, not a failed job
            List<String> lines = new java.util.ArrayList<>(files.filter(Files::isRegularFile).map(Path::toString).toList());
            lines.add(in.resolve("gone.wav").toString());
            Files.write(manifest, lines);
        }
        Path out = dir.resolve("out-json");
        JobOptions o = JobOptions.parse("--manifest", manifest.toString(), "--output", out.toString(),
                "--format", "json", "--words");
        assertEquals(10, TranscribeJob.run(spark, o).files());
        Map<String, Row> rows = byName(out, "json");
        assertEquals(10, rows.size());
        assertEquals(4, rows.values().stream().filter(r -> "ok".equals(r.getAs("status"))).count());
        assertEquals(5, rows.values().stream().filter(r -> "invalid".equals(r.getAs("status"))).count());
        Row gone = rows.get("gone.wav");
        assertEquals("error", gone.getAs("status"));
        assertTrue(((String) gone.getAs("error")).startsWith("cannot read"), (String) gone.getAs("error"));

        // errors are tried again; final answers are not
        long calls = AudioTranscriber.calls();
        TranscribeJob.run(spark, o);
        assertEquals(0, AudioTranscriber.calls() - calls, "a missing file is not transcribed, only retried");
        assertEquals(11, spark.read().json(out.toString()).count(), "the retried missing file is one more error row");
        assertEquals(1, ExecutorModel.loads());
    }

    @Test
    void theSqlFunctionTranscribesBinaryFileContent() throws IOException {
        Path in = archive(dir.resolve("sql-in"));
        // no registration: spark.sql.extensions (LocalSpark) provides it
        List<Row> rows = spark.sql("SELECT path, transcribe(content) AS t FROM binaryFile.`" + in + "/*/*/*`")
                .select(col("path"), col("t.status"), col("t.duration"), col("t.error"))
                .collectAsList();
        // Spark's binaryFile source leaves out empty files (the job lists them itself: they are rows there)
        assertEquals(8, rows.size(), rows.toString());
        assertEquals(4, rows.stream().filter(r -> "ok".equals(r.getString(1))).count(), rows.toString());
        assertEquals(4, rows.stream().filter(r -> "invalid".equals(r.getString(1))).count(), rows.toString());
        assertEquals(1, ExecutorModel.loads());
    }

    @Test
    void theJavaRegisteredFunctionWorksInTheDatasetApi() throws IOException {
        Path in = archive(dir.resolve("udf-in"));
        SparkSession session = spark.newSession();
        TranscribeUdf.register(session);
        List<Row> rows = session.read().format("binaryFile").load(in + "/2025/01")
                .select(functions.call_udf("transcribe", col("content")).as("t"))
                .select("t.status", "t.language").collectAsList();
        assertEquals(4, rows.size());
        rows.forEach(r -> assertEquals("ok", r.getString(0), rows.toString()));
        assertEquals(1, ExecutorModel.loads());
    }
}
