package io.github.whisperjava.audio;

import java.util.Random;
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
 * 60 s of audio at {@code rate} to 16 kHz: the polyphase table against the kernel evaluated per tap
 * (the implementation before it, kept as {@code Resampler.resampleDirect}). In the library's package
 * because the reference is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResampleBenchmark {
    @Param({"48000", "44100", "8000"})
    public int rate;

    private float[] in;

    @Setup
    public void setup() {
        Random rnd = new Random(60);
        in = new float[60 * rate];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) (rnd.nextGaussian() * 0.1);
        }
    }

    @Benchmark
    public float[] polyphase() {
        return Resampler.resample(in, rate, 16_000);
    }

    @Benchmark
    public float[] direct() {
        return Resampler.resampleDirect(in, rate, 16_000);
    }
}
