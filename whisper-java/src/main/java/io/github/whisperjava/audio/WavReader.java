package io.github.whisperjava.audio;

import io.github.whisperjava.AudioFormatException;
import io.github.whisperjava.AudioTooLongException;
import io.github.whisperjava.WhisperException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * Reads a WAV file into what whisper.cpp wants: 16 kHz mono float samples in [-1, 1].
 *
 * <p>RIFF/WAVE with PCM 8/16/24/32-bit or 32/64-bit float samples (plain or WAVE_FORMAT_EXTENSIBLE),
 * any rate from 1 kHz to 768 kHz, up to 64 channels. The file is streamed: each block is mixed down to
 * mono and fed to a streaming {@link Resampler}, so memory is the 16 kHz result plus a small constant
 * whatever the file's rate, width and channel count. The duration is checked against a maximum from
 * the header, before anything is allocated for the samples.
 */
public final class WavReader {
    /** whisper.cpp's input rate (WHISPER_SAMPLE_RATE). */
    public static final int SAMPLE_RATE = 16_000;

    /** The longest audio read by default: 3 hours are 691 MB of 16 kHz float samples. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(3);

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private WavReader() {}

    public static float[] read16kMono(Path wav) {
        return read16kMono(wav, DEFAULT_MAX_DURATION);
    }

    /**
     * @throws AudioTooLongException if the file holds more than {@code maxDuration} of audio
     * @throws AudioFormatException if it is missing, empty, not WAV, or malformed
     */
    public static float[] read16kMono(Path wav, Duration maxDuration) {
        return array(readFile(wav, maxDuration, WavReader::heap));
    }

    /**
     * As {@link #read16kMono(Path, Duration)}, into a direct buffer (native byte order, position 0, limit
     * the sample count) that the native side reads in place: no second copy of long audio.
     */
    public static FloatBuffer read16kMonoDirect(Path wav, Duration maxDuration) {
        return readFile(wav, maxDuration, WavReader::direct);
    }

    private static FloatBuffer readFile(Path wav, Duration maxDuration, LongFunction<FloatBuffer> allocator) {
        if (wav == null) {
            throw new NullPointerException("wav");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(wav), 1 << 16)) {
            return read(in, Files.size(wav), wav.toString(), maxDuration, allocator);
        } catch (NoSuchFileException e) {
            throw new AudioFormatException("audio file does not exist: " + wav, e);
        } catch (IOException e) {
            throw new AudioFormatException("cannot read " + wav + ": " + e, e);
        }
    }

    /** The same from the bytes of a WAV file (an upload, say); {@code name} only labels errors. */
    public static float[] read16kMono(byte[] wavFile, String name) {
        return read16kMono(wavFile, name, DEFAULT_MAX_DURATION);
    }

    public static float[] read16kMono(byte[] wavFile, String name, Duration maxDuration) {
        try {
            return array(read(new ByteArrayInputStream(wavFile), wavFile.length, name, maxDuration, WavReader::heap));
        } catch (IOException e) {
            throw new AudioFormatException("cannot read " + name + ": " + e, e);
        }
    }

    /** The same from a stream of unknown length (read to its end, not closed). */
    public static float[] read16kMono(InputStream wav, String name, Duration maxDuration) {
        try {
            return array(read(new BufferedInputStream(wav, 1 << 16), -1, name, maxDuration, WavReader::heap));
        } catch (IOException e) {
            throw new AudioFormatException("cannot read " + name + ": " + e, e);
        }
    }

    private record Format(int tag, int channels, long rate, int bits, int blockAlign) {
        boolean isFloat() {
            return tag == FORMAT_FLOAT;
        }
    }

    private static FloatBuffer read(InputStream in, long size, String name, Duration maxDuration,
            LongFunction<FloatBuffer> allocator) throws IOException {
        if (size == 0) {
            throw new AudioFormatException(name + " is empty (0 bytes): expected a WAV file");
        }
        byte[] head = in.readNBytes(12);
        if (head.length == 0) {
            throw new AudioFormatException(name + " is empty (0 bytes): expected a WAV file");
        }
        if (head.length < 12 || !ascii(head, 0, "RIFF") || !ascii(head, 8, "WAVE")) {
            throw notWav(name, head);
        }
        long consumed = 12;
        Format fmt = null;
        while (true) {
            byte[] chunk = in.readNBytes(8);
            if (chunk.length < 8) {
                throw new AudioFormatException(name + (fmt == null ? " has no fmt chunk" : " has no data chunk")
                        + ": not a complete WAV file");
            }
            consumed += 8;
            String id = new String(chunk, 0, 4, StandardCharsets.ISO_8859_1);
            long len = u32(chunk, 4);
            if (id.equals("fmt ")) {
                if (len < 16 || len > 4096) {
                    throw new AudioFormatException(name + ": fmt chunk of " + len + " bytes (expected 16 to 40)");
                }
                byte[] f = readFully(in, (int) len, name, "fmt chunk");
                fmt = parseFormat(f, name);
                skip(in, len & 1);
                consumed += len + (len & 1);
            } else if (id.equals("data")) {
                if (fmt == null) {
                    throw new AudioFormatException(name + ": data chunk before the fmt chunk");
                }
                // 0 and 0xFFFFFFFF are what streaming writers leave when they cannot seek back: read to the end
                boolean toEnd = len == 0xFFFFFFFFL || (len == 0 && size < 0);
                long available = size < 0 ? Long.MAX_VALUE : size - consumed;
                long bytes = toEnd ? available : Math.min(len, available);
                return readSamples(in, fmt, bytes, size < 0 && toEnd, name, maxDuration, allocator);
            } else {
                skip(in, len + (len & 1));
                consumed += len + (len & 1);
            }
        }
    }

    private static Format parseFormat(byte[] f, String name) {
        int tag = u16(f, 0);
        int channels = u16(f, 2);
        long rate = u32(f, 4);
        int blockAlign = u16(f, 12);
        int bits = u16(f, 14);
        if (tag == FORMAT_EXTENSIBLE) {
            if (f.length < 26) {
                throw new AudioFormatException(name + ": WAVE_FORMAT_EXTENSIBLE without its sub-format");
            }
            tag = u16(f, 24); // the first two bytes of the sub-format GUID are the format tag
        }
        if (tag != FORMAT_PCM && tag != FORMAT_FLOAT) {
            throw new AudioFormatException(name + ": WAV encoding " + encodingName(tag)
                    + " is not supported (supported: PCM 8/16/24/32-bit, 32/64-bit float)");
        }
        if (channels < 1 || channels > 64) {
            throw new AudioFormatException(name + ": unsupported channel count " + channels + " (supported: 1 to 64)");
        }
        if (rate < 1000 || rate > 768_000) {
            throw new AudioFormatException(name + ": unsupported sample rate " + rate
                    + " Hz (supported: 1,000 to 768,000 Hz)");
        }
        boolean ok = tag == FORMAT_FLOAT ? bits == 32 || bits == 64 : bits == 8 || bits == 16 || bits == 24 || bits == 32;
        if (!ok) {
            throw new AudioFormatException(name + ": unsupported " + (tag == FORMAT_FLOAT ? "float" : "PCM") + " width "
                    + bits + " bits (supported: PCM 8/16/24/32-bit, 32/64-bit float)");
        }
        if (blockAlign != channels * (bits / 8)) {
            throw new AudioFormatException(name + ": frame size " + blockAlign + " does not match " + channels
                    + " channels of " + bits + " bits");
        }
        return new Format(tag, channels, rate, bits, blockAlign);
    }

    private static FloatBuffer readSamples(InputStream in, Format fmt, long bytes, boolean unknownLength, String name,
            Duration maxDuration, LongFunction<FloatBuffer> allocator) throws IOException {
        int rate = (int) fmt.rate();
        long frames = unknownLength ? -1 : bytes / fmt.blockAlign();
        if (frames == 0) {
            throw new AudioFormatException(name + " holds no audio samples (its data chunk is empty)");
        }
        long maxFrames = maxDuration.toMillis() >= Long.MAX_VALUE / rate ? Long.MAX_VALUE
                : maxDuration.toMillis() * rate / 1000;
        if (frames > maxFrames) {
            throw new AudioTooLongException(name, Duration.ofMillis(frames * 1000 / rate), maxDuration);
        }
        long outLen = frames < 0 ? Resampler.outputLength(Math.min(maxFrames, 1L << 20), rate, SAMPLE_RATE)
                : Resampler.outputLength(frames, rate, SAMPLE_RATE);
        FloatBuffer out = allocate(outLen, name, allocator);
        Resampler.Stream resampler = new Resampler.Stream(rate, SAMPLE_RATE, out);
        int framesPerBlock = Math.max(1, (1 << 16) / fmt.blockAlign());
        byte[] block = new byte[framesPerBlock * fmt.blockAlign()];
        float[] mono = new float[framesPerBlock];
        long left = frames < 0 ? Long.MAX_VALUE : frames;
        long read = 0;
        while (left > 0) {
            int want = (int) Math.min(framesPerBlock, left);
            int got = in.readNBytes(block, 0, want * fmt.blockAlign()) / fmt.blockAlign();
            if (got == 0) {
                break; // a truncated file: keep what it has
            }
            read += got;
            if (read > maxFrames) {
                throw new AudioTooLongException(name, Duration.ofMillis(read * 1000 / rate), maxDuration);
            }
            if (unknownLength && Resampler.outputLength(read, rate, SAMPLE_RATE) > out.limit()) {
                // the stream declared no length: grow, as a list would
                FloatBuffer bigger = allocate(Math.max(out.limit() * 2L,
                        Resampler.outputLength(read, rate, SAMPLE_RATE)), name, allocator);
                resampler.moveTo(bigger);
                out = bigger;
            }
            toMono(block, got, fmt, mono);
            resampler.push(mono, got);
            left -= got;
        }
        if (read == 0) {
            throw new AudioFormatException(name + " holds no audio samples (its data chunk is empty)");
        }
        int n = resampler.finish();
        return out.limit(n).position(0);
    }

    private static FloatBuffer heap(long samples) {
        return FloatBuffer.wrap(new float[(int) samples]);
    }

    private static FloatBuffer direct(long samples) {
        return ByteBuffer.allocateDirect((int) (samples * 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The samples of a heap buffer as an array of exactly its length. */
    private static float[] array(FloatBuffer b) {
        float[] a = b.array();
        return a.length == b.limit() ? a : Arrays.copyOf(a, b.limit());
    }

    private static FloatBuffer allocate(long samples, String name, LongFunction<FloatBuffer> allocator) {
        // a direct buffer holds at most Integer.MAX_VALUE bytes, an array as many floats
        long max = Integer.MAX_VALUE / 4 - 8;
        if (samples > max) {
            throw new AudioTooLongException(name, Duration.ofMillis(samples * 1000 / SAMPLE_RATE),
                    Duration.ofMillis(max * 1000L / SAMPLE_RATE));
        }
        try {
            return allocator.apply(samples);
        } catch (OutOfMemoryError e) {
            throw new WhisperException("not enough Java heap for " + name + ": " + samples / SAMPLE_RATE
                    + " s of audio need " + (samples * 4 >> 20) + " MiB as 16 kHz samples; raise -Xmx (and "
                    + "-XX:MaxDirectMemorySize) or send shorter audio", e);
        }
    }

    /** Mixes {@code frames} frames of {@code data} down to mono samples in [-1, 1]. */
    static void toMono(byte[] data, int frames, Format f, float[] out) {
        int bytesPerSample = f.bits() / 8;
        int channels = f.channels();
        boolean isFloat = f.isFloat();
        for (int i = 0; i < frames; i++) {
            double sum = 0;
            int off = i * f.blockAlign();
            for (int c = 0; c < channels; c++, off += bytesPerSample) {
                sum += sample(data, off, bytesPerSample, isFloat);
            }
            float v = (float) (sum / channels);
            out[i] = Float.isFinite(v) ? Math.max(-1f, Math.min(1f, v)) : 0f;
        }
    }

    private static double sample(byte[] d, int off, int bytes, boolean isFloat) {
        long v = 0;
        for (int b = bytes - 1; b >= 0; b--) {
            v = (v << 8) | (d[off + b] & 0xff); // little-endian
        }
        if (isFloat) {
            return bytes == 4 ? Float.intBitsToFloat((int) v) : Double.longBitsToDouble(v);
        }
        if (bytes == 1) {
            return (v - 128) / 128.0; // 8-bit WAV is unsigned
        }
        int bits = bytes * 8;
        long signed = (v << (64 - bits)) >> (64 - bits);
        return signed / (double) (1L << (bits - 1));
    }

    private static AudioFormatException notWav(String name, byte[] head) {
        String found = sniff(head);
        return new AudioFormatException(name + (found == null ? " is not a WAV file (no RIFF/WAVE header)"
                : " is " + found + ", not WAV") + ": whisper-java reads WAV with PCM or float samples; "
                + "convert it first, e.g. ffmpeg -i INPUT -ar 16000 -ac 1 output.wav");
    }

    /** What the first bytes of a non-WAV file say it is, or null. */
    static String sniff(byte[] h) {
        if (h.length >= 3 && ascii(h, 0, "ID3")) {
            return "MP3 audio (ID3 tag)";
        }
        if (h.length >= 2 && (h[0] & 0xff) == 0xff && (h[1] & 0xe0) == 0xe0) {
            return (h[1] & 0x06) == 0 ? "AAC audio (ADTS)" : "MP3 audio";
        }
        if (h.length >= 4 && ascii(h, 0, "fLaC")) {
            return "FLAC audio";
        }
        if (h.length >= 4 && ascii(h, 0, "OggS")) {
            return "Ogg audio (Vorbis or Opus)";
        }
        if (h.length >= 8 && ascii(h, 4, "ftyp")) {
            return "MP4/M4A audio (AAC or ALAC)";
        }
        if (h.length >= 4 && (h[0] & 0xff) == 0x1a && (h[1] & 0xff) == 0x45 && (h[2] & 0xff) == 0xdf
                && (h[3] & 0xff) == 0xa3) {
            return "WebM/Matroska audio";
        }
        if (h.length >= 12 && ascii(h, 0, "FORM") && (ascii(h, 8, "AIFF") || ascii(h, 8, "AIFC"))) {
            return "AIFF audio";
        }
        if (h.length >= 4 && ascii(h, 0, "RF64")) {
            return "RF64 (a WAV variant for files over 4 GB, not supported)";
        }
        if (h.length >= 4 && ascii(h, 0, "RIFF")) {
            return "a RIFF file of another kind";
        }
        return null;
    }

    private static String encodingName(int tag) {
        return switch (tag) {
            case 2 -> "Microsoft ADPCM";
            case 6 -> "A-law";
            case 7 -> "mu-law";
            case 0x11 -> "IMA ADPCM";
            case 0x55 -> "MP3";
            default -> String.format("0x%04X", tag);
        };
    }

    private static byte[] readFully(InputStream in, int n, String name, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new AudioFormatException(name + " is truncated inside its " + what);
        }
        return b;
    }

    private static void skip(InputStream in, long n) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new AudioFormatException("WAV file is truncated inside a chunk it declares", e);
        }
    }

    private static boolean ascii(byte[] b, int off, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (off + i >= b.length || b[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }
}
