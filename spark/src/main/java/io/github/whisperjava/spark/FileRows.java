package io.github.whisperjava.spark;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A task's share of the paths, turned into {@link TranscriptSchema#OUTPUT} rows one file at a time.
 *
 * <p>The executor reads each file itself through Hadoop's file systems (local, HDFS, S3 with the
 * connector) rather than taking Spark's {@code binaryFile} content, so the audio never travels
 * through a shuffle: only paths are repartitioned. A file whose path and content hash are in
 * {@code done} gives no row: a rerun does no work twice. Lazily, so a task holds one file at a time.
 */
final class FileRows implements MapPartitionsFunction<String, Row> {
    private static final long serialVersionUID = 1L;
    /** binaryFile's own limit: a Java array holds at most this many bytes. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final Broadcast<Set<String>> done;
    private final AudioTranscriber transcriber;

    FileRows(Broadcast<Set<String>> done, AudioTranscriber transcriber) {
        this.done = done;
        this.transcriber = transcriber;
    }

    /** The key a finished file is known by. */
    static String key(String path, String sha256) {
        return path + '\n' + sha256;
    }

    @Override
    public Iterator<Row> call(Iterator<String> paths) {
        Configuration conf = SparkHadoopUtil.get().newConfiguration(SparkEnv.get().conf());
        Set<String> skip = done.value();
        return new Iterator<>() {
            private Row next;

            @Override
            public boolean hasNext() {
                while (next == null && paths.hasNext()) {
                    next = row(paths.next(), conf, skip);
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row r = next;
                next = null;
                return r;
            }
        };
    }

    /** The file's row, or null when it was done before. */
    private Row row(String path, Configuration conf, Set<String> skip) {
        TaskContext task = TaskContext.get();
        if (task != null && task.isInterrupted()) {
            // Spark is killing this task (cancelled job, speculative twin): stop at a file boundary
            throw new TaskKilledException("whisper-spark: task killed before " + path);
        }
        long t0 = System.nanoTime();
        byte[] content;
        try {
            content = read(new Path(path), conf);
        } catch (IOException | RuntimeException e) {
            // unreadable now (permissions, a node down): an error, tried again by the next run
            return output(path, null, null, AudioTranscriber.failure(Status.ERROR, "cannot read: " + e), t0);
        }
        String sha = sha256(content);
        if (skip.contains(key(path, sha))) {
            return null;
        }
        return output(path, sha, (long) content.length, transcriber.transcribe(content), t0);
    }

    private static byte[] read(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        FileStatus st = fs.getFileStatus(path);
        if (st.getLen() > MAX_BYTES) {
            throw new IOException("larger than 2 GiB (" + st.getLen() + " bytes)");
        }
        // the bytes, then the samples, then the library's work on them must fit: refuse, as a row,
        // rather than fail the task (and with it the job) with an OutOfMemoryError
        long heap = Runtime.getRuntime().maxMemory();
        if (st.getLen() > heap / 4) {
            throw new IOException(st.getLen() + " bytes is more than a quarter of this executor's heap ("
                    + heap + " bytes): give executors more memory");
        }
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    private static Row output(String path, String sha, Long size, Row result, long t0) {
        Object[] v = new Object[TranscriptSchema.OUTPUT.size()];
        v[0] = path;
        v[1] = sha;
        v[2] = size;
        for (int i = 0; i < result.size(); i++) {
            v[3 + i] = result.get(i);
        }
        v[v.length - 2] = (System.nanoTime() - t0) / 1_000_000;
        v[v.length - 1] = new Timestamp(System.currentTimeMillis());
        return RowFactory.create(v);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
