package io.github.whisperjava.benchmarks;

import io.github.whisperjava.LiveListener;
import io.github.whisperjava.LiveTranscription;
import io.github.whisperjava.LiveUtterance;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.WhisperException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
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
 * End of speech to final text, one live session: the speech of one short utterance (jfk.wav's first,
 * about 2 s) is fed before each operation; the operation feeds silence at real-time pace in 32 ms pieces,
 * from the moment the last sample of speech was fed, until the final arrives. So it includes the
 * endpointing wait (the VAD needs 200 ms of silence, see LiveOptions), the decode with a fitted window,
 * and the wait for a whisper state. Partials are off, so nothing else competes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class LiveBenchmark {
    private static final int PIECE = 512; // 32 ms

    @Param({"tiny", "base", "small"})
    public String size;

    /** fixture: random weights that decode text; forTests: whisper.cpp's test model, which decodes none. */
    @Param({"fixture", "forTests"})
    public String weights;

    private Whisper whisper;
    private float[] speech;
    private LiveTranscription live;
    private CountDownLatch finalDelivered;
    private volatile WhisperException error;

    @Setup(Level.Trial)
    public void load() throws IOException {
        whisper = Whisper.load(LiveAudio.model(size, weights), ModelOptions.defaults().withConcurrency(1));
        speech = LiveAudio.firstUtterance(whisper);
    }

    @Setup(Level.Invocation)
    public void speak() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        finalDelivered = new CountDownLatch(1);
        live = whisper.live(LiveAudio.OPTIONS.withPartialInterval(Duration.ZERO), new LiveListener() {
            @Override
            public void onSpeechStarted(int utterance, long startMs) {
                started.countDown();
            }

            @Override
            public void onFinal(LiveUtterance utterance) {
                finalDelivered.countDown();
            }

            @Override
            public void onError(WhisperException e) {
                error = e;
                finalDelivered.countDown();
            }
        });
        live.accept(speech);
        if (!started.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the VAD found no speech in the utterance");
        }
    }

    @Benchmark
    public void endOfSpeechToFinal() throws InterruptedException {
        float[] silence = new float[PIECE];
        long t0 = System.nanoTime();
        for (int n = 1; !finalDelivered.await(t0 + n * 32_000_000L - System.nanoTime(), TimeUnit.NANOSECONDS); n++) {
            live.accept(silence);
        }
        if (error != null) {
            throw error;
        }
    }

    @TearDown(Level.Invocation)
    public void closeSession() {
        live.abort();
    }

    @TearDown(Level.Trial)
    public void close() {
        whisper.close();
    }
}
