package io.github.whisperjava.spark;

import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.Segment;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.Word;
import io.github.whisperjava.fixtures.ModelFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nested columns with content in them: the for-tests model decodes no text, so this job runs on the
 * random-weights fixture (ModelFixture, which decodes deterministic noise in segments and words), in a
 * job JVM of its own (this JVM's one executor model is the for-tests one), and its segments and words
 * must be exactly what the library returns for the same file with the same parameters.
 */
class SegmentColumnsTest {
    @TempDir
    Path dir;

    @Test
    void segmentsAndWordsAreTheLibrarysOwnForTheSameFile() throws Exception {
        Path model = ModelFixture.generate("tiny", "q5_1", Paths.get(System.getProperty("whisper.fixtures.dir")),
                LocalSpark.SHARED.resolve("models"), Paths.get(System.getProperty("whisper.cpp.bin")), 42);
        Path in = Files.createDirectories(dir.resolve("in"));
        Path audio = Files.copy(LocalSpark.SHARED.resolve("audio/jfk.wav"), in.resolve("jfk.wav"));
        Path out = dir.resolve("out");

        Process job = new ProcessBuilder(LocalSpark.jobCommand(model, "--input", in.toString(),
                "--output", out.toString(), "--words")).redirectErrorStream(true).start();
        List<String> log = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(job.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                log.add(line);
            }
        } finally {
            if (!job.waitFor(600, TimeUnit.SECONDS)) {
                job.destroyForcibly();
            }
        }
        String jobLog = String.join("\n", log);
        assertEquals(0, job.exitValue(), jobLog);
        assertEquals(1, log.stream().filter(l -> l.contains("whisper-spark: model loaded (load 1 in this JVM)")).count(), jobLog);
        assertFalse(jobLog.contains("(load 2 in this JVM)"), jobLog);

        // what the job did, on its executor: one task thread of local[2], so 1 whisper thread (SlotPlan)
        TranscribeParams params = TranscribeParams.builder().threads(new SlotPlan(2, 1).threadsPerTask())
                .language("en").tokenTimestamps(true).build();
        Transcript expected;
        try (Whisper w = Whisper.load(model)) {
            expected = w.transcribe(Files.readAllBytes(audio), params);
        }
        assertFalse(expected.segments().isEmpty(), "the fixture decodes segments");
        assertFalse(expected.words().isEmpty(), "and words");

        SparkSession spark = LocalSpark.start();
        try {
            Dataset<Row> table = spark.read().parquet(out.toString());
            // the shape, as written to Parquet (which keeps names and types; nullability it loosens)
            assertEquals(createArrayType(TranscriptSchema.SEGMENT).catalogString(),
                    table.schema().apply("segments").dataType().catalogString());
            assertEquals("array<struct<start:double,end:double,text:string,words:array<struct<start:double,"
                    + "end:double,text:string,probability:float>>>>", table.schema().apply("segments").dataType().catalogString());
            List<Row> rows = table.collectAsList();
            assertEquals(1, rows.size());
            Row row = rows.get(0);
            assertEquals("ok", row.getAs("status"), (String) row.getAs("error"));
            assertEquals(expected.language(), row.getAs("language"));
            assertEquals(expected.audioDurationMs() / 1000.0, (double) row.getAs("duration"));
            assertEquals(expected.text().strip(), row.getAs("text"));
            assertFalse(((String) row.getAs("text")).isBlank());

            List<Row> segments = row.getList(row.fieldIndex("segments"));
            assertEquals(expected.segments().size(), segments.size());
            for (int i = 0; i < segments.size(); i++) {
                Segment want = expected.segments().get(i);
                Row got = segments.get(i);
                String where = "segment " + i;
                assertEquals(want.startMs() / 1000.0, got.getDouble(got.fieldIndex("start")), where);
                assertEquals(want.endMs() / 1000.0, got.getDouble(got.fieldIndex("end")), where);
                assertTrue(got.getDouble(got.fieldIndex("start")) <= got.getDouble(got.fieldIndex("end")), where);
                assertEquals(want.text(), got.getString(got.fieldIndex("text")), where);
                List<Row> words = got.getList(got.fieldIndex("words"));
                assertEquals(want.words().size(), words.size(), where);
                for (int j = 0; j < words.size(); j++) {
                    Word w = want.words().get(j);
                    Row g = words.get(j);
                    String at = where + ", word " + j;
                    assertEquals(w.startMs() / 1000.0, g.getDouble(g.fieldIndex("start")), at);
                    assertEquals(w.endMs() / 1000.0, g.getDouble(g.fieldIndex("end")), at);
                    assertEquals(w.text(), g.getString(g.fieldIndex("text")), at);
                    assertEquals(w.probability(), g.getFloat(g.fieldIndex("probability")), at);
                }
            }
            System.out.println("SegmentColumnsTest: " + segments.size() + " segments, " + expected.words().size()
                    + " words, matching Whisper.transcribe: " + segments);
        } finally {
            spark.stop();
        }
    }
}
