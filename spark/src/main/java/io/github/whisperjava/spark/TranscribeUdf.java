package io.github.whisperjava.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;

/**
 * {@code transcribe(content)} for Spark SQL and PySpark: the bytes of an audio file in, a
 * {@link TranscriptSchema#RESULT} struct out, on the executor's one model. A public no-argument
 * constructor so PySpark's {@code spark.udf.registerJavaFunction} can make one by name.
 */
public final class TranscribeUdf implements UDF1<byte[], Row> {
    private static final long serialVersionUID = 1L;

    /** The name it is registered under. */
    public static final String NAME = "transcribe";

    private final AudioTranscriber transcriber;

    /** English, no word times: what {@code registerJavaFunction} gets. */
    public TranscribeUdf() {
        this("en", false);
    }

    public TranscribeUdf(String language, boolean words) {
        this.transcriber = new AudioTranscriber(language, words);
    }

    /** Registers {@code transcribe(content)} in this session, for SQL and {@code functions.call_udf}. */
    public static void register(SparkSession spark) {
        spark.udf().register(NAME, new TranscribeUdf(), TranscriptSchema.RESULT);
    }

    @Override
    public Row call(byte[] content) {
        return transcriber.transcribe(content);
    }
}
