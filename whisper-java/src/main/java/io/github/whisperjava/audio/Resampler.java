package io.github.whisperjava.audio;

/**
 * Sample-rate conversion for speech input: windowed-sinc interpolation with a low-pass at the lower
 * of the two Nyquist rates, so downsampling (44.1/48 kHz to 16 kHz) does not alias.
 *
 * <p>No maintained pure-Java resampler is on Maven Central (the candidates are unmaintained or GPL),
 * and this is forty lines; that is why it is ours.
 */
public final class Resampler {
    private static final int HALF_TAPS = 16; // zero crossings each side of the kernel

    private Resampler() {}

    public static float[] resample(float[] in, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + fromRate + " -> " + toRate);
        }
        if (fromRate == toRate || in.length == 0) {
            return in.clone();
        }
        double ratio = (double) toRate / fromRate;
        long outLen = (long) Math.floor(in.length * ratio);
        if (outLen > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("audio too long to resample: " + outLen + " samples");
        }
        float[] out = new float[(int) outLen];
        double cutoff = Math.min(1.0, ratio); // relative to the input Nyquist
        double width = HALF_TAPS / cutoff;     // kernel half-width in input samples
        for (int i = 0; i < out.length; i++) {
            double center = i / ratio;
            int lo = (int) Math.ceil(center - width);
            int hi = (int) Math.floor(center + width);
            double acc = 0;
            double norm = 0;
            for (int j = Math.max(0, lo); j <= Math.min(in.length - 1, hi); j++) {
                double x = j - center;
                double w = cutoff * sinc(cutoff * x) * blackman(x / width);
                acc += in[j] * w;
                norm += w;
            }
            out[i] = norm == 0 ? 0f : (float) (acc / norm);
        }
        return out;
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
}
