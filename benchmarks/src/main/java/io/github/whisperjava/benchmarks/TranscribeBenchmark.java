package io.github.whisperjava.benchmarks;

import io.github.whisperjava.EncoderWindow;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.Whisper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * Per-request latency of one transcription, three ways, same model, clip, parameters and threads:
 * <ul>
 *   <li>{@code cli}: start {@code whisper-cli} (built from the same pinned sources) and read its output,
 *       the path whisper-java replaces;
 *   <li>{@code libraryLoadOnce}: a {@link Whisper} loaded once per trial, one transcription per operation;
 *   <li>{@code libraryLoadPerRequest}: load, transcribe, close, to separate load cost from inference;
 *   <li>{@code libraryFitWindow}: as libraryLoadOnce with {@link EncoderWindow#FIT_AUDIO} (its time
 *       includes the full-window run when the fitted result is not trusted);
 *   <li>{@code cliCold}: as cli, with the model file dropped from the page cache before every run (checked
 *       with fincore): a service that spawns the CLI reads "the model from disk" each time;
 *   <li>{@code cliVad} and {@code libraryVadFitWindow}: whisper-cli's {@code --vad} and the library's
 *       VAD ({@link io.github.whisperjava.VadOptions#DEFAULTS}) with a fitted window, same Silero model.
 * </ul>
 * Each operation takes seconds, so each is timed singly (SingleShotTime) over several iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(1)
public class TranscribeBenchmark {
    @Param({"tiny", "base", "small", "medium"})
    public String size;

    /** 2s, 5s, 11s (jfk.wav), 60s, or padded (jfk.wav with 10 s of silence before and after). */
    @Param({"2s", "11s", "60s"})
    public String clip;

    @Param({"q5_1"})
    public String quant;

    /** Real weights to use instead of a generated fixture (a path), or empty. */
    @Param({""})
    public String model;

    private Path modelPath;
    private Path wav;
    private Path tmp;
    private Whisper loaded;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        modelPath = Workload.model(size, quant, model);
        tmp = Files.createTempDirectory("whisper-bench");
        wav = Workload.writeWav(Workload.clip(clip), tmp.resolve("clip-" + clip + ".wav"));
        loaded = Whisper.load(modelPath, ModelOptions.defaults().withConcurrency(1));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        loaded.close();
        Files.deleteIfExists(wav);
        Files.deleteIfExists(tmp);
    }

    @Benchmark
    public String cli() throws IOException, InterruptedException {
        return cli(new String[0]);
    }

    private String cli(String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Workload.CPP_BIN.resolve("whisper-cli").toString(), "-m", modelPath.toString(), "-f", wav.toString(),
                "-t", String.valueOf(Workload.THREADS), "-bs", "1", "-nf", "-l", "en", "-np"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("whisper-cli failed: " + p.exitValue());
        }
        return out;
    }

    /** Per invocation: the model file out of the page cache, so each run reads it from disk. */
    @State(Scope.Benchmark)
    public static class ColdModel {
        @Setup(Level.Invocation)
        public void evict(TranscribeBenchmark b) throws IOException, InterruptedException {
            Workload.evictFromPageCache(b.modelPath);
        }
    }

    @Benchmark
    public String cliCold(ColdModel cold) throws IOException, InterruptedException {
        return cli();
    }

    @Benchmark
    public String cliVad() throws IOException, InterruptedException {
        return cli("--vad", "--vad-model", Workload.SILERO.toString());
    }

    @Benchmark
    public Transcript libraryVadFitWindow() {
        return loaded.transcribe(wav, VAD_FIT);
    }

    private static final TranscribeParams VAD_FIT = Workload.PARAMS.toBuilder().encoderWindow(EncoderWindow.FIT_AUDIO)
            .vad(io.github.whisperjava.VadOptions.DEFAULTS.withModel(Workload.SILERO)).build();

    @Benchmark
    public Transcript libraryLoadOnce() {
        return loaded.transcribe(wav, Workload.PARAMS);
    }

    @Benchmark
    public Transcript libraryFitWindow() {
        Transcript t = loaded.transcribe(wav, FIT);
        if (t.fellBackToFullWindow() && !fallbackReported) {
            fallbackReported = true;
            System.out.println("\n[window] fitted result not trusted, full window used: " + t.windowFallback());
        }
        return t;
    }

    private static final TranscribeParams FIT = Workload.PARAMS.toBuilder().encoderWindow(EncoderWindow.FIT_AUDIO).build();
    private boolean fallbackReported;

    @Benchmark
    public Transcript libraryLoadPerRequest() {
        try (Whisper w = Whisper.load(modelPath, ModelOptions.defaults().withConcurrency(1))) {
            return w.transcribe(wav, Workload.PARAMS);
        }
    }
}
