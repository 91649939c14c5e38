package io.github.whisperjava.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one task per file, N at a time, and hands the results on in input order. Every file gets its
 * result or its own error line on stderr: one bad file does not hide the others.
 */
final class Batch {
    interface Task<R> {
        R run(Path file);
    }

    interface Sink<R> {
        void accept(int index, R result);
    }

    private final int jobs;
    private final PrintStream err;

    Batch(int jobs, PrintStream err) {
        this.jobs = jobs;
        this.err = err;
    }

    /** 0 when every file succeeded, else {@link TranscribeCli#FAILED} after a line that counts the failures. */
    <R> int run(List<Path> files, Task<R> task, Sink<R> sink) {
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        try {
            List<Future<R>> results = new ArrayList<>();
            for (Path file : files) {
                results.add(pool.submit(() -> task.run(file)));
            }
            int failed = 0;
            for (int i = 0; i < files.size(); i++) {
                try {
                    sink.accept(i, get(results.get(i)));
                } catch (RuntimeException e) {
                    err.println("transcribe: " + files.get(i) + ": " + TranscribeCli.oneLine(e));
                    failed++;
                }
            }
            if (failed > 0) {
                err.println("transcribe: " + failed + " of " + files.size() + " files failed");
                return TranscribeCli.FAILED;
            }
            return 0;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <R> R get(Future<R> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
