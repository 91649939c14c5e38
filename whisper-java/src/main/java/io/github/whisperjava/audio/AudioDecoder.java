package io.github.whisperjava.audio;

import io.github.whisperjava.AudioFormatException;
import io.github.whisperjava.AudioTooLongException;
import io.github.whisperjava.WhisperException;
import io.github.whisperjava.internal.NativeAudio;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Reads audio in any format whisper-java decodes into 16 kHz mono float samples: WAV (PCM or float,
 * any rate and channel count, through {@link WavReader}), MP3, FLAC and Ogg Vorbis (through miniaudio
 * in the native library, the decoder whisper-cli uses, so the samples are the ones whisper-cli would
 * transcribe). The format is told from the content, never from a file name.
 *
 * <p>Ogg Opus, MP4/M4A, raw AAC, WebM and AIFF are recognised and refused with an
 * {@link AudioFormatException} that names them and says how to convert them. A compressed file is
 * held in memory whole while it is decoded (its size, not its decoded size); decoding stops at the
 * maximum duration, whatever the file's header claims.
 */
public final class AudioDecoder {
    /** The most samples one result holds: what a direct buffer can (2 GB of floats, 9.3 hours). */
    static final int MAX_SAMPLES = Integer.MAX_VALUE / 4 - 8;

    /**
     * What is read to name the format before the rest: enough for any header the sniffer reads but a
     * long ID3 tag's (MP3 is then assumed), so that a large file of a refused format is never read whole.
     */
    private static final int HEAD = 1 << 16;

    private AudioDecoder() {}

    public static float[] decode16kMono(Path audioFile) {
        return decode16kMono(audioFile, WavReader.DEFAULT_MAX_DURATION);
    }

    /**
     * @throws AudioTooLongException if it holds more than {@code maxDuration} of audio
     * @throws AudioFormatException if it is missing, empty, of an unsupported format, or malformed
     */
    public static float[] decode16kMono(Path audioFile, Duration maxDuration) {
        Objects.requireNonNull(audioFile, "audioFile");
        if (isStream(audioFile)) {
            return fromStream(audioFile, maxDuration);
        }
        if (containerOf(audioFile) == AudioContainer.WAV) {
            return WavReader.read16kMono(audioFile, maxDuration);
        }
        return decodeCompressed(readFile(audioFile), audioFile.toString(), maxDuration);
    }

    /**
     * As {@link #decode16kMono(Path, Duration)}, into a direct buffer in native byte order (position 0,
     * limit the sample count), which whisper.cpp reads in place: a long WAV file is not copied again.
     */
    public static FloatBuffer decode16kMonoDirect(Path audioFile, Duration maxDuration) {
        Objects.requireNonNull(audioFile, "audioFile");
        boolean stream = isStream(audioFile);
        if (!stream && containerOf(audioFile) == AudioContainer.WAV) {
            return WavReader.read16kMonoDirect(audioFile, maxDuration);
        }
        float[] pcm = stream ? fromStream(audioFile, maxDuration)
                : decodeCompressed(readFile(audioFile), audioFile.toString(), maxDuration);
        FloatBuffer out;
        try {
            out = ByteBuffer.allocateDirect(pcm.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        } catch (OutOfMemoryError e) {
            throw noMemory(audioFile.toString(), pcm.length, e);
        }
        return out.put(pcm).flip();
    }

    /** The bytes of a whole audio file (an upload, say). */
    public static float[] decode16kMono(byte[] audio) {
        return decode16kMono(audio, WavReader.DEFAULT_MAX_DURATION);
    }

    public static float[] decode16kMono(byte[] audio, Duration maxDuration) {
        Objects.requireNonNull(audio, "audio");
        String name = "the audio (" + audio.length + " bytes)";
        if (AudioSniffer.sniff(audio, audio.length) == AudioContainer.WAV) {
            return WavReader.read16kMono(audio, name, maxDuration);
        }
        return decodeCompressed(audio, name, maxDuration);
    }

    /**
     * A stream, read to its end and not closed: WAV as it arrives, MP3/FLAC/Vorbis whole first, any other
     * format refused from its first bytes.
     */
    public static float[] decode16kMono(InputStream audio) {
        return decode16kMono(audio, WavReader.DEFAULT_MAX_DURATION);
    }

    public static float[] decode16kMono(InputStream audio, Duration maxDuration) {
        Objects.requireNonNull(audio, "audio");
        String name = "the audio stream";
        BufferedInputStream in = new BufferedInputStream(audio, 1 << 16);
        byte[] all;
        try {
            in.mark(HEAD);
            byte[] head = in.readNBytes(HEAD);
            AudioContainer container = supported(AudioSniffer.sniff(head, head.length), name, head);
            in.reset();
            if (container == AudioContainer.WAV) {
                return WavReader.read16kMono(in, name, maxDuration);
            }
            all = in.readAllBytes();
        } catch (IOException e) {
            throw new AudioFormatException("cannot read " + name + ": " + e, e);
        } catch (OutOfMemoryError e) {
            throw new WhisperException("not enough Java heap to hold " + name + " while it is decoded; raise -Xmx "
                    + "or send it as WAV, which is read as it arrives", e);
        }
        return decodeCompressed(all, name, maxDuration);
    }

    /**
     * Whether {@code file} is a pipe, a FIFO or a device ({@code <(cat a.wav)}, {@code /dev/stdin}): it can
     * be read once and its length says nothing, so it is read as a stream. Opening the path to sniff its
     * format and again to read it found it drained ("empty (0 bytes)"). A directory is refused here.
     */
    private static boolean isStream(Path file) {
        if (Files.isDirectory(file)) {
            throw new AudioFormatException(file + " is a directory, not an audio file");
        }
        return Files.exists(file) && !Files.isRegularFile(file);
    }

    private static float[] fromStream(Path file, Duration maxDuration) {
        // FileInputStream, not Files.newInputStream: a channel's stream asks a pipe for its position ("Illegal seek")
        try (InputStream in = new FileInputStream(file.toFile())) {
            return decode16kMono(in, maxDuration);
        } catch (IOException e) {
            throw new AudioFormatException("cannot read " + file + ": " + e, e);
        }
    }

    /** The format the file's first bytes name, if it is one we read. */
    private static AudioContainer containerOf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(HEAD);
            return supported(AudioSniffer.sniff(head, head.length), file.toString(), head);
        } catch (NoSuchFileException e) {
            throw new AudioFormatException("audio file does not exist: " + file, e);
        } catch (IOException e) {
            throw new AudioFormatException("cannot read " + file + ": " + e, e);
        }
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AudioFormatException("cannot read " + file + ": " + e, e);
        } catch (OutOfMemoryError e) {
            throw new WhisperException("not enough Java heap to hold " + file + " while it is decoded; raise -Xmx "
                    + "or convert it to WAV, which is streamed", e);
        }
    }

    /** Anything but WAV: miniaudio for what it decodes, a message saying what to do for the rest. */
    private static float[] decodeCompressed(byte[] file, String name, Duration maxDuration) {
        Objects.requireNonNull(maxDuration, "maxDuration");
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be positive, not " + maxDuration);
        }
        AudioContainer container = supported(AudioSniffer.sniff(file, file.length), name, file);
        int code = switch (container) {
            case MP3 -> NativeAudio.MP3;
            case FLAC -> NativeAudio.FLAC;
            case OGG_VORBIS -> NativeAudio.OGG_VORBIS;
            default -> throw new IllegalStateException("not a compressed format: " + container);
        };
        if (container == AudioContainer.OGG_VORBIS) {
            VorbisCommentCheck.check(file, name);
        }
        long maxMillis = maxDuration.toMillis();
        long maxFrames = maxMillis >= Long.MAX_VALUE / WavReader.SAMPLE_RATE ? Long.MAX_VALUE
                : maxMillis * WavReader.SAMPLE_RATE / 1000;
        int limit = (int) Math.min(maxFrames, MAX_SAMPLES);
        float[] pcm;
        try {
            // one frame more than allowed: a result that long says "too long" without decoding the rest
            pcm = NativeAudio.decode16kMono(file, code, limit + 1);
        } catch (AudioFormatException e) {
            throw new AudioFormatException(name + " is not " + container.displayName() + " that can be decoded ("
                    + e.getMessage() + ")", e);
        } catch (OutOfMemoryError e) {
            throw noMemory(name, limit, e);
        }
        if (pcm.length > limit) {
            Duration cap = limit == maxFrames ? maxDuration : Duration.ofMillis(MAX_SAMPLES * 1000L / WavReader.SAMPLE_RATE);
            throw new AudioTooLongException(name, Duration.ofNanos(pcm.length * 1_000_000_000L / WavReader.SAMPLE_RATE), cap);
        }
        if (pcm.length == 0) {
            throw new AudioFormatException(name + " holds no audio samples (" + container.displayName()
                    + " that decodes to nothing)");
        }
        for (int i = 0; i < pcm.length; i++) {
            if (!Float.isFinite(pcm[i])) {
                pcm[i] = 0f; // as WavReader does; whisper.cpp would turn a NaN into a garbage spectrogram
            }
        }
        return pcm;
    }

    /** {@code container}, named by {@code head}, if it is one we read; else what it is and what to do. */
    private static AudioContainer supported(AudioContainer container, String name, byte[] head) {
        if (head.length == 0) {
            throw new AudioFormatException(name + " is empty (0 bytes): expected WAV, MP3, FLAC or Ogg Vorbis audio");
        }
        if (container.isSupported()) {
            return container;
        }
        String convert = ": convert it to WAV, MP3, FLAC or Ogg Vorbis, e.g. ffmpeg -i "
                + (container.extension() == null ? "INPUT" : "in." + container.extension()) + " -ar 16000 -ac 1 out.wav";
        if (container == AudioContainer.UNKNOWN) {
            throw new AudioFormatException(name + " is not audio in a format whisper-java reads (WAV, MP3, FLAC, "
                    + "Ogg Vorbis; its first bytes: " + AudioSniffer.hexHead(head, head.length, 12) + ")" + convert);
        }
        throw new AudioFormatException(name + " is " + container.displayName() + ", which is not supported" + convert);
    }

    private static WhisperException noMemory(String name, long samples, OutOfMemoryError e) {
        return new WhisperException("not enough memory to decode " + name + ": up to " + samples / WavReader.SAMPLE_RATE
                + " s of audio need " + (samples * 4 >> 20) + " MiB as 16 kHz samples; raise -Xmx (and "
                + "-XX:MaxDirectMemorySize) or send shorter audio", e);
    }
}
