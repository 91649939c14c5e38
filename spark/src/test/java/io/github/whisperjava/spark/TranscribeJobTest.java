package io.github.whisperjava.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
            List<String> lines = new ArrayList<>(files.filter(Files::isRegularFile).map(Path::toString).toList());
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

    @Test
    void globsSelectTheFilesTheyMatchOnceEach() throws IOException {
        Path in = archive(dir.resolve("glob-in"));
        Path out = dir.resolve("out-glob");
        // a character class and a brace set, overlapping on 2025/01/jfk.wav: four files, each once
        JobOptions o = JobOptions.parse("--input", in + "/2025/0[12]/*.wav", "--input", in + "/2025/*/jfk.{wav,flac}",
                "--output", out.toString());
        Set<String> paths = TranscribeJob.paths(spark, o);
        assertEquals(List.of("file:" + in + "/2025/01/jfk.flac", "file:" + in + "/2025/01/jfk.wav",
                "file:" + in + "/2025/02/empty.wav", "file:" + in + "/2025/02/truncated.wav"), List.copyOf(paths));

        long calls = AudioTranscriber.calls();
        assertEquals(4, TranscribeJob.run(spark, o).files());
        assertEquals(4, AudioTranscriber.calls() - calls);
        Map<String, Row> rows = byName(out, "parquet");
        assertEquals(Set.of("jfk.flac", "jfk.wav", "empty.wav", "truncated.wav"), rows.keySet());
        assertEquals("ok", rows.get("jfk.flac").getAs("status"));
        assertEquals("ok", rows.get("jfk.wav").getAs("status"));
        assertEquals("invalid", rows.get("empty.wav").getAs("status"));
        assertEquals("invalid", rows.get("truncated.wav").getAs("status"));

        // a glob that matches nothing is a mistyped input: the job fails before it starts
        JobOptions none = JobOptions.parse("--input", in + "/2026/*/*.wav", "--output", dir.resolve("out-none").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TranscribeJob.run(spark, none));
        assertTrue(e.getMessage().contains("2026"), e.getMessage());
        assertEquals(1, ExecutorModel.loads());
    }

    /**
     * A manifest table in each of its formats, its paths written three ways (plain, {@code file:/},
     * {@code file:///}), beside columns the job ignores: the rows are keyed as a listing keys them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"csv", "json", "parquet"})
    void aManifestTableInEachFormatGivesOneRowPerPath(String format) throws IOException {
        Path in = archive(dir.resolve("manifest-" + format));
        Path good = in.resolve("2025/01/jfk.wav");
        Path bad = in.resolve("2025/02/truncated.wav");
        Path gone = in.resolve("2025/02/gone.wav");
        List<String> listed = List.of(good.toString(), "file:" + bad, "file://" + gone);
        Path manifest = dir.resolve("paths-" + format + "." + format);
        switch (format) {
            case "csv" -> {
                List<String> lines = new ArrayList<>(List.of("id,path,note"));
                for (int i = 0; i < listed.size(); i++) {
                    lines.add(i + "," + listed.get(i) + ",call " + i);
                }
                Files.write(manifest, lines);
            }
            case "json" -> Files.write(manifest, listed.stream()
                    .map(p -> "{\"path\": \"" + p + "\", \"caller\": \"x\"}").toList());
            default -> spark.createDataset(listed, Encoders.STRING()).toDF("path")
                    .withColumn("batch", functions.lit(7))
                    .write().parquet(manifest.toString());   // a folder named paths-parquet.parquet
        }
        Path out = dir.resolve("out-manifest-" + format);
        JobOptions o = JobOptions.parse("--manifest", manifest.toString(), "--output", out.toString());
        assertEquals(Set.of("file:" + good, "file:" + bad, "file:" + gone), TranscribeJob.paths(spark, o));

        long calls = AudioTranscriber.calls();
        assertEquals(3, TranscribeJob.run(spark, o).files());
        assertEquals(2, AudioTranscriber.calls() - calls, "the missing file is never transcribed");
        Map<String, Row> rows = byName(out, "parquet");
        assertEquals(Set.of("jfk.wav", "truncated.wav", "gone.wav"), rows.keySet());
        assertEquals("ok", rows.get("jfk.wav").getAs("status"));
        assertEquals("file:" + good, rows.get("jfk.wav").getAs("path"));
        assertEquals(11.0, (double) rows.get("jfk.wav").getAs("duration"), 0.1);
        assertEquals("invalid", rows.get("truncated.wav").getAs("status"));
        assertEquals("error", rows.get("gone.wav").getAs("status"));

        // the rerun finds the two final answers under the same keys: nothing is transcribed again
        calls = AudioTranscriber.calls();
        assertEquals(2, TranscribeJob.run(spark, o).skippedBefore());
        assertEquals(0, AudioTranscriber.calls() - calls);
        assertEquals(1, ExecutorModel.loads());
    }

    @Test
    void aFileWhoseContentChangedIsTranscribedAgain() throws IOException {
        Path in = Files.createDirectories(dir.resolve("changed-in"));
        Path file = in.resolve("call.wav");
        byte[] before = Files.readAllBytes(LocalSpark.SHARED.resolve("audio/jfk.wav"));
        Files.write(file, before);
        Path out = dir.resolve("out-changed");
        JobOptions o = JobOptions.parse("--input", in.toString(), "--output", out.toString());

        long calls = AudioTranscriber.calls();
        TranscribeJob.run(spark, o);
        assertEquals(1, AudioTranscriber.calls() - calls);
        calls = AudioTranscriber.calls();
        TranscribeJob.run(spark, o);
        assertEquals(0, AudioTranscriber.calls() - calls, "same path, same bytes: done");

        // same path, same size, new bytes: the last second of the recording silenced (still a valid WAV)
        byte[] after = before.clone();
        Arrays.fill(after, after.length - 32_000, after.length, (byte) 0);
        Files.write(file, after);
        calls = AudioTranscriber.calls();
        assertEquals(1, TranscribeJob.run(spark, o).skippedBefore(), "the old content's row is still in the table");
        assertEquals(1, AudioTranscriber.calls() - calls, "new content under a done path is transcribed again");

        // oldest first: the newest row of a path is the answer for what it holds now
        List<Row> rows = spark.read().parquet(out.toString()).orderBy("transcribed_at").collectAsList();
        assertEquals(2, rows.size(), "one row per content of the path");
        rows.forEach(r -> assertEquals("file:" + file, r.getAs("path")));
        rows.forEach(r -> assertEquals("ok", r.getAs("status"), (String) r.getAs("error")));
        assertEquals(FileRows.sha256(before), rows.get(0).getAs("content_sha256"));
        assertEquals(FileRows.sha256(after), rows.get(1).getAs("content_sha256"));
        assertNotEquals(FileRows.sha256(before), FileRows.sha256(after));

        calls = AudioTranscriber.calls();
        TranscribeJob.run(spark, o);
        assertEquals(0, AudioTranscriber.calls() - calls, "and then it is done too");
        assertEquals(2, spark.read().parquet(out.toString()).count());
        assertEquals(1, ExecutorModel.loads());
    }
}
