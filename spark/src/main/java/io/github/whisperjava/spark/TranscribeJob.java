package io.github.whisperjava.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transcribes an archive: every file under the inputs (or in the manifest) becomes one row of the
 * output table, a broken file a row with its error. Rerunning over the same output skips the files
 * it already holds with the same content, so a crashed run resumes where its last batch committed.
 */
public final class TranscribeJob {
    private static final Logger LOG = LoggerFactory.getLogger(TranscribeJob.class);

    private TranscribeJob() {}

    public static void main(String[] args) {
        JobOptions options = JobOptions.parse(args);
        SparkSession spark = SparkSession.builder().appName("whisper-transcribe").getOrCreate();
        try {
            System.out.println(run(spark, options));
        } finally {
            spark.stop();
        }
    }

    /** What a run did. */
    public record Summary(int files, int batches, int skippedBefore) {}

    public static Summary run(SparkSession spark, JobOptions o) {
        List<String> paths = new ArrayList<>(paths(spark, o));
        Set<String> done = done(spark, o);
        Broadcast<Set<String>> skip = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(done);
        FileRows rows = new FileRows(skip, new AudioTranscriber(o.language(), o.words()));
        // several partitions per task slot, so a slot that drew long files does not hold up the batch
        int partitions = spark.sparkContext().defaultParallelism() * 4;
        int batches = 0;
        try {
            for (int from = 0; from < paths.size(); from += o.batchFiles()) {
                List<String> batch = paths.subList(from, Math.min(paths.size(), from + o.batchFiles()));
                // only paths are shuffled; each executor reads its files itself (FileRows)
                Dataset<Row> out = spark.createDataset(batch, Encoders.STRING())
                        .repartition(Math.min(batch.size(), partitions))
                        .mapPartitions(rows, Encoders.row(TranscriptSchema.OUTPUT));
                out.write().mode(SaveMode.Append).format(o.format()).save(o.output());
                batches++;
                LOG.info("whisper-spark: batch {} committed ({} of {} files)", batches, from + batch.size(), paths.size());
            }
        } finally {
            skip.destroy();
        }
        return new Summary(paths.size(), batches, done.size());
    }

    /** Every input file once, fully qualified, in a stable order. */
    static Set<String> paths(SparkSession spark, JobOptions o) {
        Set<String> paths = new TreeSet<>();
        if (o.manifest() != null) {
            Configuration conf = spark.sparkContext().hadoopConfiguration();
            for (Row r : manifest(spark, o.manifest()).collectAsList()) {
                if (!r.isNullAt(0) && !r.getString(0).isBlank()) {
                    paths.add(qualified(r.getString(0).strip(), conf));
                }
            }
        } else {
            paths.addAll(ArchiveListing.list(o.inputs(), spark.sparkContext().hadoopConfiguration()));
        }
        return paths;
    }

    private static Dataset<Row> manifest(SparkSession spark, String table) {
        String name = table.toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet")) {
            return spark.read().parquet(table).select("path");
        } else if (name.endsWith(".csv")) {
            return spark.read().option("header", "true").csv(table).select("path");
        } else if (name.endsWith(".json")) {
            return spark.read().json(table).select("path");
        }
        return spark.read().text(table).select(col("value").as("path"));
    }

    /** As binaryFile names it ({@code file:/data/a.wav}), so a manifest and a listing agree on a file's key. */
    private static String qualified(String path, Configuration conf) {
        Path p = new Path(path);
        try {
            return p.getFileSystem(conf).makeQualified(p).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + path, e);
        }
    }

    /** Path and content hash of every file the output already holds a final answer for. */
    static Set<String> done(SparkSession spark, JobOptions o) {
        Path out = new Path(o.output());
        try {
            if (!out.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(out)) {
                return new HashSet<>();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + o.output(), e);
        }
        Dataset<Row> finished = spark.read().schema(TranscriptSchema.OUTPUT).format(o.format()).load(o.output())
                .where(col("status").isin(Status.OK.value(), Status.INVALID.value())
                        .and(col("content_sha256").isNotNull()))
                .select("path", "content_sha256");
        Set<String> keys = new HashSet<>();
        for (Row r : finished.collectAsList()) {
            keys.add(FileRows.key(r.getString(0), r.getString(1)));
        }
        return keys;
    }
}
