package io.github.whisperjava.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The polyphase resampler computes the same filter as its definition ({@link Resampler#resampleDirect}),
 * so its frequency response is unchanged; streaming in blocks of any size gives the same samples.
 */
class ResamplerTest {
    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {1000, 8000, 11025, 16000, 22050, 24000, 32000, 44100, 44057, 48000, 96000, 192000})
    void sameSignalAsTheDirectKernel(int rate) {
        float[] in = noise(rate / 2, rate); // half a second of white noise: every frequency at once
        float[] direct = Resampler.resampleDirect(in, rate, 16_000);
        float[] poly = Resampler.resample(in, rate, 16_000);
        assertEquals(direct.length, poly.length);
        double maxDiff = 0;
        for (int i = 0; i < direct.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(direct[i] - poly[i]));
        }
        // float coefficients against double ones: far below 16-bit quantisation (3e-5)
        assertTrue(maxDiff < 2e-6, "max difference " + maxDiff);
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8000, 44100, 48000, 44057})
    void blocksOfAnySizeGiveTheSameSamples(int rate) {
        float[] in = noise(rate, rate + 1);
        float[] whole = Resampler.resample(in, rate, 16_000);
        Random rnd = new Random(rate);
        float[] out = new float[whole.length];
        Resampler.Stream s = new Resampler.Stream(rate, 16_000, out);
        for (int pos = 0; pos < in.length; ) {
            int n = Math.min(in.length - pos, 1 + rnd.nextInt(5000));
            s.push(Arrays.copyOfRange(in, pos, pos + n), n);
            pos += n;
        }
        assertEquals(whole.length, s.finish());
        assertArrayEquals(whole, out);
    }

    static float[] noise(int n, long seed) {
        Random rnd = new Random(seed);
        float[] in = new float[n];
        for (int i = 0; i < n; i++) {
            in[i] = (float) (rnd.nextGaussian() * 0.2);
        }
        return in;
    }
}
