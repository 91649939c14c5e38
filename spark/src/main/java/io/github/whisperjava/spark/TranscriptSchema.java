package io.github.whisperjava.spark;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The shapes of a transcription in Spark: the SQL function's struct, and the job's table. */
public final class TranscriptSchema {
    private TranscriptSchema() {}

    /** A word (only when words were asked for): times in seconds from the file's start. */
    public static final StructType WORD = createStructType(new StructField[] {
            createStructField("start", DoubleType, false),
            createStructField("end", DoubleType, false),
            createStructField("text", StringType, false),
            createStructField("probability", FloatType, false)});

    public static final StructType SEGMENT = createStructType(new StructField[] {
            createStructField("start", DoubleType, false),
            createStructField("end", DoubleType, false),
            createStructField("text", StringType, false),
            createStructField("words", createArrayType(WORD, false), true)});

    /** What {@code transcribe(content)} returns; {@link Status} says which fields are set. */
    public static final StructType RESULT = createStructType(new StructField[] {
            createStructField("status", StringType, false),
            createStructField("error", StringType, true),
            createStructField("language", StringType, true),
            createStructField("duration", DoubleType, true),
            createStructField("text", StringType, true),
            createStructField("segments", createArrayType(SEGMENT, false), true)});

    /** One row per input file: where it was, what it held (its SHA-256, which makes reruns skip it), the result. */
    public static final StructType OUTPUT = output();

    private static StructType output() {
        List<StructField> fields = new ArrayList<>();
        fields.add(createStructField("path", StringType, false));
        fields.add(createStructField("content_sha256", StringType, true));
        fields.add(createStructField("size_bytes", LongType, true));
        fields.addAll(List.of(RESULT.fields()));
        fields.add(createStructField("transcribe_ms", LongType, false));
        // which of a path's rows is the newest (a retried error, a changed file)
        fields.add(createStructField("transcribed_at", TimestampType, false));
        return createStructType(fields);
    }
}
