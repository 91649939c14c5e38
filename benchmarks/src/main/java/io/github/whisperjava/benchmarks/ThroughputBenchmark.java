package io.github.whisperjava.benchmarks;

import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.internal.CpuBudget;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * N callers at once on one model, each asking for the default threads (min(4, cores)), with a
 * concurrency of N states: how a service or {@code transcribe.jar --jobs N} loads the machine.
 * {@code budget=cores} is the library as it is (the ggml threads of all calls together never exceed
 * the cores); {@code budget=unbounded} sets WHISPER_CPU_THREADS to 512, which gives every call what it
 * asks for, as before the budget existed. One operation = N transcriptions of the clip; throughput is
 * N divided by its time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class ThroughputBenchmark {
    @Param({"1", "2", "4", "8"})
    public int callers;

    @Param({"cores", "unbounded"})
    public String budget;

    /** A model file; default: the for-tests tiny model (the full encoder and decoder, no weights). */
    @Param({""})
    public String model;

    @Param({"11s"})
    public String clip;

    private Whisper whisper;
    private float[] pcm;
    private ExecutorService pool;
    private final TranscribeParams params = TranscribeParams.builder().temperatureIncrement(0).build();

    @Setup(Level.Trial)
    public void setup() {
        if (budget.equals("unbounded")) {
            // read once, when the first transcription initialises the budget: this fork is fresh
            System.setProperty("whisper.cpu.threads", "512");
        }
        Path m = model.isEmpty() ? Workload.SHARED.resolve("models/for-tests-ggml-tiny.bin")
                : Paths.get(model);
        whisper = Whisper.load(m, ModelOptions.defaults().withConcurrency(callers));
        pcm = Workload.clip(clip);
        pool = Executors.newFixedThreadPool(callers);
        System.out.printf("%n[threads] %d callers x %d threads asked, budget %s%n", callers, params.threads(),
                CpuBudget.process().size());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
        whisper.close();
    }

    @Benchmark
    public int transcribeConcurrently() throws Exception {
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            fs.add(pool.submit(() -> whisper.transcribe(pcm, params).segments().size()));
        }
        int n = 0;
        for (Future<Integer> f : fs) {
            n += f.get();
        }
        return n;
    }
}
