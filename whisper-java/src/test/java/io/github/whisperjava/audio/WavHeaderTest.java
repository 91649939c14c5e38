package io.github.whisperjava.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.AudioFormatException;
import io.github.whisperjava.AudioTooLongException;
import io.github.whisperjava.TestJvm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the WAV reader says about input it cannot take, and how much memory it takes for what it can. */
class WavHeaderTest {
    @TempDir
    Path tmp;

    /** A canonical 44-byte PCM header for {@code dataBytes} of samples. */
    static byte[] header(int tag, int channels, long rate, int bits, long dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes));
        b.put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) tag).putShort((short) channels);
        b.putInt((int) rate).putInt((int) (rate * channels * bits / 8)).putShort((short) (channels * bits / 8))
                .putShort((short) bits);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        return b.array();
    }

    static String error(byte[] file) {
        return assertThrows(AudioFormatException.class, () -> WavReader.read16kMono(file, "in.wav")).getMessage();
    }

    @Test
    void aRateOfFourGigahertzIsNamedAsSuch() {
        String m = error(concat(header(1, 1, 0xFFFFFFFFL, 16, 4), new byte[4]));
        assertTrue(m.contains("unsupported sample rate 4294967295 Hz"), m);
        assertTrue(m.contains("supported: 1,000 to 768,000 Hz"), m);
    }

    @Test
    void emptyHeaderOnlyAndOtherFormatsSayWhatWasFound() {
        assertTrue(error(new byte[0]).contains("is empty (0 bytes)"), error(new byte[0]));
        String headerOnly = error(header(1, 1, 16_000, 16, 0));
        assertTrue(headerOnly.contains("holds no audio samples"), headerOnly);
        String truncatedHeader = error(Arrays.copyOf(header(1, 1, 16_000, 16, 0), 30));
        assertTrue(truncatedHeader.contains("truncated inside its fmt chunk"), truncatedHeader);
        Map<String, byte[]> others = Map.of(
                "MP3 audio (ID3 tag)", "ID3\u0004\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1),
                "MP3 audio", new byte[] {(byte) 0xff, (byte) 0xfb, (byte) 0x90, 0x64, 0, 0, 0, 0, 0, 0, 0, 0},
                "FLAC audio", "fLaC\0\0\0\"\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1),
                "Ogg audio (Vorbis or Opus)", "OggS\0\u0002\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1),
                "MP4/M4A audio", "\0\0\0\u0020ftypM4A \0\0".getBytes(StandardCharsets.ISO_8859_1),
                "WebM/Matroska audio", new byte[] {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3, 0, 0, 0, 0, 0, 0, 0, 0});
        for (Map.Entry<String, byte[]> e : others.entrySet()) {
            String m = error(e.getValue());
            assertTrue(m.contains("is " + e.getKey()) && m.contains("ffmpeg"), m);
        }
        String alaw = error(concat(header(6, 1, 8000, 8, 2), new byte[2]));
        assertTrue(alaw.contains("A-law is not supported"), alaw);
    }

    @Test
    void audioPastTheMaximumIsRefusedFromTheHeader() {
        // 4 MB at 1 kHz is 67 minutes: old code upsampled it all into memory first (1.47 GB RSS)
        byte[] file = concat(header(1, 1, 1000, 8, 4_000_000), new byte[4_000_000]);
        AudioTooLongException e = assertThrows(AudioTooLongException.class,
                () -> WavReader.read16kMono(file, "long.wav", Duration.ofMinutes(10)));
        assertEquals(Duration.ofSeconds(4000), e.duration());
        assertTrue(e.getMessage().contains("4000.0 s") && e.getMessage().contains("600.0 s"), e.getMessage());
        // a header that lies short cannot sneak more past the limit: counted while reading a stream
        byte[] lying = concat(header(1, 1, 1000, 8, 0xFFFFFFFFL), new byte[4_000_000]);
        assertThrows(AudioTooLongException.class, () -> WavReader.read16kMono(
                new ByteArrayInputStream(lying), "stream.wav", Duration.ofMinutes(10)));
    }

    @Test
    void streamOfUnknownLengthIsReadToItsEnd() {
        byte[] pcm = new byte[32_000];
        byte[] file = concat(header(1, 1, 16_000, 16, 0xFFFFFFFFL), pcm);
        float[] out = WavReader.read16kMono(new ByteArrayInputStream(file), "s", Duration.ofMinutes(1));
        assertEquals(16_000, out.length);
    }

    /**
     * Thirty minutes of 48 kHz stereo (346 MB of WAV) stream into a JVM whose heap holds little more
     * than the 16 kHz result (115 MB); a heap too small for the result gets a clear error, not an
     * OutOfMemoryError.
     */
    @Test
    void memoryIsTheResultPlusAConstant() throws Exception {
        Process fits = TestJvm.start(tmp, "fits", Map.of(), List.of("-Xmx150m"), Probe.class, "1800");
        assertTrue(fits.waitFor(300, TimeUnit.SECONDS));
        String out = Files.readString(tmp.resolve("fits.log"));
        assertEquals(0, fits.exitValue(), out);
        assertTrue(out.contains("samples=28800000"), out);

        Process tooSmall = TestJvm.start(tmp, "small", Map.of(), List.of("-Xmx64m"), Probe.class, "1800");
        assertTrue(tooSmall.waitFor(300, TimeUnit.SECONDS));
        String err = Files.readString(tmp.resolve("small.log"));
        assertEquals(3, tooSmall.exitValue(), err);
        assertTrue(err.contains("not enough Java heap for probe.wav: 1800 s of audio need 109 MiB"), err);
    }

    /** Reads {@code args[0]} seconds of a generated 48 kHz stereo 16-bit WAV from a stream. */
    public static final class Probe {
        public static void main(String[] args) {
            long seconds = Long.parseLong(args[0]);
            long frames = seconds * 48_000;
            byte[] head = header(1, 2, 48_000, 16, frames * 4);
            InputStream in = new InputStream() {
                long pos;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    long end = head.length + frames * 4;
                    if (pos >= end) {
                        return -1;
                    }
                    int n = (int) Math.min(len, end - pos);
                    for (int i = 0; i < n; i++, pos++) {
                        if (pos < head.length) {
                            b[off + i] = head[(int) pos];
                        } else {
                            long sample = (pos - head.length) / 2; // a 440 Hz tone in both channels
                            short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * (sample / 2) / 48_000.0));
                            b[off + i] = (byte) ((pos - head.length) % 2 == 0 ? v : v >> 8);
                        }
                    }
                    return n;
                }
            };
            try {
                float[] pcm = WavReader.read16kMono(in, "probe.wav", Duration.ofHours(1));
                System.out.println("samples=" + pcm.length);
            } catch (io.github.whisperjava.WhisperException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
