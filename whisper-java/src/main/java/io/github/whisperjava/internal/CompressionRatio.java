package io.github.whisperjava.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * How much a text repeats itself. A room of its own because both a public record ({@code Segment}) and
 * the fitted window's check need it, and neither should depend on the other.
 */
public final class CompressionRatio {
    private CompressionRatio() {}

    /** UTF-8 bytes over deflated bytes, as whisper's reference implementation measures repetition. */
    public static double of(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        if (in.length == 0) {
            return 0;
        }
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            d.setInput(in);
            d.finish();
            byte[] out = new byte[in.length + 64];
            int n = 0;
            while (!d.finished()) {
                n += d.deflate(out, n, out.length - n);
                if (n == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
            }
            return (double) in.length / n;
        } finally {
            d.end();
        }
    }
}
