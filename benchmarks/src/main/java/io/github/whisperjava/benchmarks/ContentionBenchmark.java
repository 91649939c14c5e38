package io.github.whisperjava.benchmarks;

import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Whisper;
import java.nio.file.Path;
import java.nio.file.Paths;
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
 * One transcription using every core while another process wants a core too: what a service sees on
 * a shared host, in a container with a CPU quota, or beside a second service. ggml's threads meet at a
 * barrier after every operation; {@code neighbour=none} is the machine to itself, {@code cpu-hog} is one
 * busy-looping process, {@code whisper} is a second JVM transcribing the same clip with every core in a
 * loop (two services on one host). The model is the random-weights tiny q5_1 fixture: it decodes many
 * tokens, and every decoder step is a small graph with many barriers, where waiting costs most.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(1)
public class ContentionBenchmark {
    @Param({"none", "cpu-hog", "whisper"})
    public String neighbour;

    @Param({"11s"})
    public String clip;

    /**
     * greedy (no temperature fallback), or cli: whisper-cli's defaults (beam search of 5, best-of 5,
     * temperature fallback in steps of 0.2), many more decoder graphs on a clip that decodes badly.
     */
    @Param({"greedy", "cli"})
    public String decoding;

    /** A model file; default: the seeded random-weights tiny q5_1 fixture. */
    @Param({""})
    public String model;

    private Whisper whisper;
    private float[] pcm;
    private Process other;
    private TranscribeParams params;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Path m = Workload.model("tiny", "q5_1", model);
        whisper = Whisper.load(m);
        pcm = Workload.clip(clip);
        params = params(decoding);
        if (neighbour.equals("cpu-hog")) {
            other = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        } else if (neighbour.equals("whisper")) {
            String java = ProcessHandle.current().info().command().orElse("java");
            other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Dwhisper.shared.dir=" + Workload.SHARED, Neighbour.class.getName(), m.toString(), clip, decoding)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(3000); // loaded and transcribing
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (other != null) {
            other.destroyForcibly();
        }
        whisper.close();
    }

    @Benchmark
    public int transcribe() {
        return whisper.transcribe(pcm, params).segments().size();
    }

    static TranscribeParams params(String decoding) {
        return decoding.equals("cli") ? TranscribeParams.builder().beamSearch(5).bestOf(5).temperatureIncrement(0.2f).build()
                : TranscribeParams.builder().temperatureIncrement(0).build();
    }

    /** The second service: transcribes the clip with every core until killed. */
    public static final class Neighbour {
        public static void main(String[] args) {
            float[] pcm = Workload.clip(args[1]);
            TranscribeParams p = params(args[2]);
            try (Whisper w = Whisper.load(Paths.get(args[0]))) {
                while (true) {
                    w.transcribe(pcm, p);
                }
            }
        }
    }
}
