package io.github.whisperjava.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.AudioFormatException;
import io.github.whisperjava.AudioTooLongException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile bytes through {@link AudioDecoder#decode16kMono(byte[], Duration)}: mutated and truncated
 * variants of a 1 s seed of each format must decode to at most the maximum, or be refused with an
 * {@link AudioFormatException} (an {@link AudioTooLongException} included). Anything else fails, and a
 * crash in miniaudio or stb_vorbis takes the test JVM with it, failing the build. Seeded: a failure
 * names the case, which reproduces with {@code -Dwhisper.fuzz.only=N}. cpp/tools/asan-check.sh runs
 * this under AddressSanitizer.
 */
class AudioFuzzTest {
    static final int CASES = Integer.getInteger("whisper.fuzz.cases", 10_000);
    static final int ONLY = Integer.getInteger("whisper.fuzz.only", -1);
    static final Duration MAX = Duration.ofSeconds(20);
    static final int MAX_SAMPLES = 20 * WavReader.SAMPLE_RATE;
    /**
     * The least share of cases that must reach the decoder of their format, and the least that must
     * decode to samples. Measured with the 10,000 seeded cases (2026-12-04): 97%, 96%, 86% and 92% reached
     * it, 90%, 78%, 25% and 73% decoded (MP3, FLAC, Ogg Vorbis, WAV).
     */
    static final double MIN_REACHED = 0.8;
    static final double MIN_DECODED = 0.2;

    // a decoder that hangs on some input fails here instead of holding the build (it takes seconds)
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @ParameterizedTest
    @ValueSource(strings = {"seed.mp3", "seed.flac", "seed.ogg", "seed.wav"})
    void mutatedInputIsDecodedOrRefusedNeverAnythingElse(String seedFile) throws IOException {
        byte[] seed = Files.readAllBytes(AudioFixtures.path(seedFile));
        long t0 = System.nanoTime();
        int decoded = 0;
        int refused = 0;
        int tooLong = 0;
        int unrecognised = 0;
        int vorbisComments = 0;
        int reachedDecoder = 0; // the decoder of the seed's format ran: decoded, or refused by it
        long slowestNanos = 0;
        int slowest = -1;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            if (ONLY >= 0 && i != ONLY) {
                continue;
            }
            byte[] input = mutate(seed, new Random(seedFile.hashCode() * 1_000_003L + i));
            long c0 = System.nanoTime();
            if (AudioSniffer.sniff(input, input.length) == AudioContainer.UNKNOWN) {
                unrecognised++; // refused in Java, before any native code: still run, the refusal is checked too
            }
            try {
                float[] pcm = AudioDecoder.decode16kMono(input, MAX);
                if (pcm.length == 0 || pcm.length > MAX_SAMPLES) {
                    failures.add("case " + i + ": " + pcm.length + " samples");
                }
                decoded++;
                reachedDecoder++;
            } catch (AudioTooLongException e) {
                tooLong++;
                reachedDecoder++; // WAV: from the header WavReader read; the rest: from what miniaudio decoded
            } catch (AudioFormatException e) {
                refused++;
                if (byTheDecoder(e)) {
                    reachedDecoder++;
                }
                if (e.getMessage().contains("comment header declares") || e.getMessage().contains("empty Ogg page")) {
                    vorbisComments++; // VorbisCommentCheck: bytes that crash stb_vorbis
                }
            } catch (RuntimeException | Error e) {
                failures.add("case " + i + ": " + e);
            }
            if (System.nanoTime() - c0 > slowestNanos) {
                slowestNanos = System.nanoTime() - c0;
                slowest = i;
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int cases = decoded + refused + tooLong;
        System.out.printf("fuzz %s: %d cases in %,d ms: %d decoded, %d refused (%d unrecognised before decoding, "
                + "%d by the Vorbis comment check), %d too long, %d failures; %d reached the decoder; slowest: case "
                + "%d, %d ms%n", seedFile, cases, ms, decoded, refused, unrecognised, vorbisComments, tooLong,
                failures.size(), reachedDecoder, slowest, slowestNanos / 1_000_000);
        assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.subList(0, Math.min(5,
                failures.size())));
        if (ONLY < 0) {
            // hostile bytes that never reach the decoder prove nothing about it: a sniffer (or a check in
            // front of the decoder) that refused too much would make this test pass on no decoding at all
            assertTrue(reachedDecoder >= MIN_REACHED * cases, seedFile + ": only " + reachedDecoder + " of " + cases
                    + " cases reached the decoder (at least " + MIN_REACHED * 100 + "% must)");
            assertTrue(decoded >= MIN_DECODED * cases, seedFile + ": only " + decoded + " of " + cases
                    + " cases decoded to samples (at least " + MIN_DECODED * 100 + "% must)");
        }
    }

    /**
     * Whether the decoder of the format itself refused {@code e}'s input, not the sniffer or a check in
     * front of it: the exception (or its cause) was thrown from WavReader or from the shim's miniaudio
     * decoder, or the shim decoded the file to no samples.
     */
    static boolean byTheDecoder(AudioFormatException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (StackTraceElement f : t.getStackTrace()) {
                if (f.getClassName().equals(WavReader.class.getName())
                        || f.getClassName().equals("io.github.whisperjava.internal.NativeAudio")) {
                    return true;
                }
            }
        }
        return e.getMessage().contains("holds no audio samples");
    }

    /** One to three mutations of the seed, chosen and placed by {@code r}. */
    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int n = 1 + r.nextInt(3);
        for (int m = 0; m < n && b.length > 0; m++) {
            switch (r.nextInt(7)) {
                case 0 -> { // bit flips
                    for (int k = 1 + r.nextInt(8); k > 0; k--) {
                        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> { // bytes overwritten with 0x00, 0xFF or anything
                    for (int k = 1 + r.nextInt(8); k > 0; k--) {
                        int v = r.nextInt(3);
                        b[r.nextInt(b.length)] = (byte) (v == 0 ? 0 : v == 1 ? 0xff : r.nextInt(256));
                    }
                }
                case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncated
                case 3 -> b = duplicate(b, r);
                case 4 -> b = delete(b, r);
                case 5, 6 -> extremeHeaderField(b, r); // twice as likely: headers are where lengths live
                default -> throw new AssertionError();
            }
        }
        return b;
    }

    /** A chunk of the file inserted again right after itself. */
    static byte[] duplicate(byte[] b, Random r) {
        int from = r.nextInt(b.length);
        int len = 1 + r.nextInt(Math.min(4096, b.length - from));
        byte[] out = new byte[b.length + len];
        System.arraycopy(b, 0, out, 0, from + len);
        System.arraycopy(b, from, out, from + len, b.length - from);
        return out;
    }

    static byte[] delete(byte[] b, Random r) {
        int from = r.nextInt(b.length);
        int len = 1 + r.nextInt(Math.min(4096, b.length - from));
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(b, from + len, out, from, b.length - from - len);
        return out;
    }

    /**
     * 1, 2 or 4 bytes in the first 64 (where every one of these formats keeps its sizes, rates, channel
     * counts and block sizes) set to 0, the largest signed or unsigned value, or the smallest negative one,
     * in either byte order.
     */
    static void extremeHeaderField(byte[] b, Random r) {
        int width = new int[] {1, 2, 4}[r.nextInt(3)];
        int at = r.nextInt(Math.max(1, Math.min(64, b.length) - width + 1));
        long[] values = {0, 0xffffffffL, 0x7fffffffL, 0x80000000L, 1};
        long v = values[r.nextInt(values.length)];
        boolean little = r.nextBoolean();
        for (int i = 0; i < width && at + i < b.length; i++) {
            int shift = 8 * (little ? i : width - 1 - i);
            b[at + i] = (byte) (v >>> shift);
        }
    }
}
