package io.github.whisperjava.audio;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Sample-rate conversion for speech input: windowed-sinc interpolation with a low-pass at the lower
 * of the two Nyquist rates, so downsampling (44.1/48 kHz to 16 kHz) does not alias.
 *
 * <p>Polyphase: output sample {@code i} sits at input position {@code i * from / to}, whose fractional
 * part takes only {@code to / gcd(from, to)} values (160 for 44.1 kHz, 1 for 48 kHz), so the kernel
 * is computed once per phase into a table and every output is a dot product. Rates whose table would
 * be too large (a prime-ish rate such as 44,057 Hz) compute the same kernel per output instead: same
 * result, slower. Input streams through {@link Stream} in blocks, so a long file never needs its
 * full-rate samples in memory.
 *
 * <p>No maintained pure-Java resampler is on Maven Central (the candidates are unmaintained or GPL);
 * that is why this one is ours.
 */
public final class Resampler {
    static final int HALF_TAPS = 16; // zero crossings each side of the kernel
    private static final int MAX_TABLE = 1 << 20; // kernel coefficients kept for a polyphase table

    private Resampler() {}

    /** Resamples a whole signal. */
    public static float[] resample(float[] in, int fromRate, int toRate) {
        checkRates(fromRate, toRate);
        long outLen = outputLength(in.length, fromRate, toRate);
        if (outLen > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("audio too long to resample: " + outLen + " samples");
        }
        float[] out = new float[(int) outLen];
        Stream s = new Stream(fromRate, toRate, out);
        s.push(in, in.length);
        s.finish();
        return out;
    }

    /** How many output samples {@code inputSamples} at {@code fromRate} give at {@code toRate}. */
    public static long outputLength(long inputSamples, int fromRate, int toRate) {
        checkRates(fromRate, toRate);
        return fromRate == toRate ? inputSamples
                : Math.multiplyHigh(inputSamples, toRate) != 0 ? Long.MAX_VALUE : inputSamples * toRate / fromRate;
    }

    private static void checkRates(int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + fromRate + " -> " + toRate);
        }
    }

    /**
     * The kernel evaluated per tap for every output: the definition the polyphase tables are made
     * from, kept as the reference the tests and benchmarks compare against.
     */
    static float[] resampleDirect(float[] in, int fromRate, int toRate) {
        checkRates(fromRate, toRate);
        if (fromRate == toRate || in.length == 0) {
            return in.clone();
        }
        double ratio = (double) toRate / fromRate;
        float[] out = new float[(int) outputLength(in.length, fromRate, toRate)];
        double cutoff = Math.min(1.0, ratio);
        double width = HALF_TAPS / cutoff;
        for (int i = 0; i < out.length; i++) {
            double center = (double) i * fromRate / toRate;
            int lo = (int) Math.ceil(center - width);
            int hi = (int) Math.floor(center + width);
            double acc = 0;
            double norm = 0;
            for (int j = Math.max(0, lo); j <= Math.min(in.length - 1, hi); j++) {
                double w = kernel(j - center, cutoff, width);
                acc += in[j] * w;
                norm += w;
            }
            out[i] = norm == 0 ? 0f : (float) (acc / norm);
        }
        return out;
    }

    static double kernel(double x, double cutoff, double width) {
        return cutoff * sinc(cutoff * x) * blackman(x / width);
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-9) {
            return 1.0;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    // Blackman window over t in [-1, 1]
    private static double blackman(double t) {
        if (t <= -1 || t >= 1) {
            return 0;
        }
        double a = Math.PI * (t + 1);
        return 0.42 - 0.5 * Math.cos(a) + 0.08 * Math.cos(2 * a);
    }

    /**
     * Streaming conversion into a caller-sized array: {@link #push} blocks of input as they are read,
     * then {@link #finish()}. It keeps only the input the next outputs still need (about two kernel
     * widths), so memory is the output array plus a few kilobytes.
     */
    public static final class Stream {
        private FloatBuffer out;
        private final boolean identity;
        private final long up;    // L: phases, to / gcd
        private final long down;  // M: from / gcd
        private final double cutoff;
        private final double width;
        private final int[] phaseLo;      // first tap offset k of each phase (tap j = q + k)
        private final float[][] weights;  // per phase, null when computed per output
        private final double[] sums;      // per phase: the sum of its weights
        private float[] buf = new float[1 << 14];
        private long bufStart;  // input index of buf[0]
        private int bufLen;
        private long next;      // next output index
        private int produced;

        public Stream(int fromRate, int toRate, float[] out) {
            this(fromRate, toRate, FloatBuffer.wrap(out));
        }

        /** Writes from index 0 of {@code out} (absolute puts: its position is not used) up to its limit. */
        public Stream(int fromRate, int toRate, FloatBuffer out) {
            checkRates(fromRate, toRate);
            this.out = out;
            this.identity = fromRate == toRate;
            long g = gcd(fromRate, toRate);
            this.up = toRate / g;
            this.down = fromRate / g;
            this.cutoff = Math.min(1.0, (double) toRate / fromRate);
            this.width = HALF_TAPS / cutoff;
            int taps = (int) Math.ceil(2 * width) + 2;
            boolean table = !identity && up * taps <= MAX_TABLE;
            phaseLo = new int[table ? (int) up : 0];
            weights = new float[table ? (int) up : 0][];
            sums = new double[table ? (int) up : 0];
            for (int p = 0; table && p < up; p++) {
                double frac = (double) p / up;
                int lo = (int) Math.ceil(frac - width);
                int hi = (int) Math.floor(frac + width);
                float[] w = new float[hi - lo + 1];
                double sum = 0;
                for (int k = lo; k <= hi; k++) {
                    w[k - lo] = (float) kernel(k - frac, cutoff, width);
                    sum += w[k - lo];
                }
                phaseLo[p] = lo;
                weights[p] = w;
                sums[p] = sum;
            }
        }

        /** Adds the first {@code n} samples of {@code in}; writes every output they complete. */
        public void push(float[] in, int n) {
            if (identity) {
                int m = Math.max(0, Math.min(n, out.limit() - produced));
                out.put(produced, in, 0, m);
                produced += m;
                return;
            }
            compact();
            if (bufLen + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bufLen + n));
            }
            System.arraycopy(in, 0, buf, bufLen, n);
            bufLen += n;
            emit(false);
        }

        /** Continues into {@code bigger}, which receives what was written so far (for input of unknown length). */
        public void moveTo(FloatBuffer bigger) {
            bigger.put(0, out, 0, produced);
            out = bigger;
        }

        /**
         * The outputs written since the last drain; the next ones are written from index 0 of the output
         * again. For a stream of no known end (live audio), read as it arrives: drain after every push of
         * no more input than the output array's length converts to.
         */
        public float[] drain() {
            float[] done = new float[produced];
            out.get(0, done);
            produced = 0;
            return done;
        }

        /** Writes the outputs at the end of the signal; returns how many samples {@code out} now holds. */
        public int finish() {
            if (!identity) {
                emit(true);
            }
            return produced;
        }

        private void emit(boolean atEnd) {
            long total = bufStart + bufLen;
            // next - produced: outputs already drained, which no longer take room in out
            long outLen = Math.min(next - produced + out.limit(), outputLength(total, (int) down, (int) up));
            while (next < outLen) {
                long pos = next * down;
                long q = pos / up;
                int phase = (int) (pos % up);
                double frac = (double) phase / up;
                long lo;
                long hi;
                if (weights.length > 0) {
                    lo = q + phaseLo[phase];
                    hi = lo + weights[phase].length - 1;
                } else {
                    lo = q + (long) Math.ceil(frac - width);
                    hi = q + (long) Math.floor(frac + width);
                }
                if (hi >= total && !atEnd) {
                    return; // needs input not read yet
                }
                long from = Math.max(0, lo);
                long to = Math.min(total - 1, hi);
                double acc = 0;
                double norm = 0;
                if (weights.length > 0) {
                    float[] w = weights[phase];
                    int base = (int) (lo - bufStart);
                    for (long j = from; j <= to; j++) {
                        int k = (int) (j - lo);
                        acc += buf[base + k] * w[k];
                    }
                    if (from == lo && to == hi) {
                        norm = sums[phase];
                    } else {
                        for (long j = from; j <= to; j++) {
                            norm += w[(int) (j - lo)];
                        }
                    }
                } else {
                    double center = q + frac;
                    for (long j = from; j <= to; j++) {
                        double w = kernel(j - center, cutoff, width);
                        acc += buf[(int) (j - bufStart)] * w;
                        norm += w;
                    }
                }
                out.put(produced++, norm == 0 ? 0f : (float) (acc / norm));
                next++;
            }
        }

        /** Drops input that no later output reaches. */
        private void compact() {
            long pos = next * down;
            long needed = pos / up + (long) Math.floor((double) (pos % up) / up - width) - 1;
            int drop = (int) Math.max(0, Math.min(bufLen, needed - bufStart));
            if (drop > 0) {
                System.arraycopy(buf, drop, buf, 0, bufLen - drop);
                bufLen -= drop;
                bufStart += drop;
            }
        }

        private static long gcd(long a, long b) {
            while (b != 0) {
                long t = a % b;
                a = b;
                b = t;
            }
            return a;
        }
    }
}
