package io.github.whisperjava.spark;

import io.github.whisperjava.AudioFormatException;
import io.github.whisperjava.Segment;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.Word;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Turns a file's bytes into a {@link TranscriptSchema#RESULT} row on the executor's model. Never
 * throws for a bad file: one broken recording must not fail a job over a year of them.
 */
final class AudioTranscriber implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong CALLS = new AtomicLong();

    private final String language;
    private final boolean words;

    AudioTranscriber(String language, boolean words) {
        this.language = language;
        this.words = words;
    }

    /** Transcriptions this JVM attempted: tests check that a rerun attempts none. */
    static long calls() {
        return CALLS.get();
    }

    Row transcribe(byte[] audio) {
        CALLS.incrementAndGet();
        try {
            if (audio == null || audio.length == 0) {
                return failure(Status.INVALID, "empty file");
            }
            var model = ExecutorModel.get();
            TranscribeParams params = TranscribeParams.builder()
                    .threads(ExecutorModel.plan().threadsPerTask())
                    .language(language)
                    .tokenTimestamps(words)
                    .build();
            return success(model.transcribe(audio, params));
        } catch (AudioFormatException e) {
            return failure(Status.INVALID, e.getMessage());
        } catch (RuntimeException e) {
            return failure(Status.ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Row success(Transcript t) {
        List<Segment> segs = t.segments();
        Row[] rows = new Row[segs.size()];
        for (int i = 0; i < rows.length; i++) {
            Segment s = segs.get(i);
            rows[i] = RowFactory.create(seconds(s.startMs()), seconds(s.endMs()), s.text(),
                    words ? words(s.words()) : null);
        }
        return RowFactory.create(Status.OK.value(), null, t.language(), seconds(t.audioDurationMs()), t.text().strip(),
                seq(List.of(rows)));
    }

    private static Seq<Row> words(List<Word> ws) {
        return seq(ws.stream().map(w -> RowFactory.create(seconds(w.startMs()), seconds(w.endMs()), w.text(), w.probability()))
                .toList());
    }

    /** Spark's row encoder takes a Scala Seq for an array column, not a Java List. */
    private static <T> Seq<T> seq(List<T> list) {
        return CollectionConverters.asScala(list).toSeq();
    }

    static Row failure(Status status, String message) {
        return RowFactory.create(status.value(), message, null, null, null, null);
    }

    private static double seconds(long ms) {
        return ms / 1000.0;
    }
}
