package io.github.whisperjava.benchmarks;

import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to load (and close) a model, per size. With the for-tests models (real header, no weights) this
 * is whisper.cpp's fixed cost of a context for that size: backend buffers, vocabulary, mel filters.
 * {@code -p model=PATH} measures any other file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoadBenchmark {
    @Param({"tiny", "base", "small", "medium", "large"})
    public String size;

    /** Overrides size: a model file to load. */
    @Param({""})
    public String model;

    private Path path;

    @Setup
    public void setup() {
        path = model.isEmpty() ? Workload.SHARED.resolve("models/for-tests-ggml-" + size + ".bin") : Paths.get(model);
        Whisper.whisperCppVersion(); // natives loaded outside the measurement
    }

    @Benchmark
    public String loadAndClose() {
        try (Whisper w = Whisper.load(path, ModelOptions.defaults().withConcurrency(1))) {
            return w.info().type();
        }
    }
}
