package io.github.whisperjava.benchmarks;

import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import java.nio.file.Path;
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
 * N callers at once: sharing one loaded model (a pool of N states) against N separately loaded models.
 * One operation = N concurrent transcriptions of the clip; each caller gets THREADS/N threads (at
 * least 1) so both variants use the same cores. Resident memory after setup is printed per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 4)
@Fork(1)
public class ConcurrencyBenchmark {
    @Param({"tiny", "base"})
    public String size;

    @Param({"2"})
    public int callers;

    @Param({"shared", "separate"})
    public String layout;

    @Param({"11s"})
    public String clip;

    private final List<Whisper> models = new ArrayList<>();
    private float[] pcm;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Path m = Workload.model(size, "q5_1", "");
        pcm = Workload.clip(clip);
        long before = MemoryProbe.rssKb();
        int n = layout.equals("shared") ? 1 : callers;
        for (int i = 0; i < n; i++) {
            models.add(Whisper.load(m, ModelOptions.defaults().withConcurrency(callers)));
        }
        pool = Executors.newFixedThreadPool(callers);
        runAll(); // allocate every state before measuring memory
        System.out.printf("%n[memory] %s %d callers %s: +%d KiB resident for models and states%n",
                size, callers, layout, MemoryProbe.rssKb() - before);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
        models.forEach(Whisper::close);
        models.clear();
    }

    @Benchmark
    public int transcribeConcurrently() throws Exception {
        return runAll();
    }

    private int runAll() throws Exception {
        var params = Workload.PARAMS.toBuilder().threads(Math.max(1, Workload.THREADS / callers)).build();
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Whisper w = models.get(i % models.size());
            fs.add(pool.submit(() -> w.transcribe(pcm, params).segments().size()));
        }
        int n = 0;
        for (Future<Integer> f : fs) {
            n += f.get();
        }
        return n;
    }
}
