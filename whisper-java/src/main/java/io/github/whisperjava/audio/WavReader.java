package io.github.whisperjava.audio;

import io.github.whisperjava.AudioFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads a WAV file into what whisper.cpp wants: 16 kHz mono float samples in [-1, 1].
 *
 * <p>javax.sound.sampled parses the container (RIFF/WAVE, PCM 8/16/24/32-bit or 32-bit float, any
 * rate, any channel count); channels are averaged and the rate converted by {@link Resampler}.
 */
public final class WavReader {
    /** whisper.cpp's input rate (WHISPER_SAMPLE_RATE). */
    public static final int SAMPLE_RATE = 16_000;

    private WavReader() {}

    public static float[] read16kMono(Path wav) {
        if (wav == null) {
            throw new NullPointerException("wav");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(wav))) {
            return read(raw, Files.size(wav), wav.toString());
        } catch (NoSuchFileException e) {
            throw new AudioFormatException("audio file does not exist: " + wav, e);
        } catch (IOException e) {
            throw new AudioFormatException("cannot read " + wav + ": " + e, e);
        }
    }

    /** The same from the bytes of a WAV file (an upload, say); {@code name} only labels errors. */
    public static float[] read16kMono(byte[] wavFile, String name) {
        try {
            return read(new java.io.ByteArrayInputStream(wavFile), wavFile.length, name);
        } catch (IOException e) {
            throw new AudioFormatException("cannot read " + name + ": " + e, e);
        }
    }

    private static float[] read(InputStream raw, long size, String name) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(raw)) {
            AudioFormat f = in.getFormat();
            checkFormat(f, name);
            float[] mono = toMono(readFrames(in, f.getChannels() * (f.getSampleSizeInBits() / 8), size), f, name);
            if (mono.length == 0) {
                throw new AudioFormatException(name + " holds no audio samples");
            }
            return Resampler.resample(mono, Math.round(f.getSampleRate()), SAMPLE_RATE);
        } catch (UnsupportedAudioFileException e) {
            throw new AudioFormatException(name + " is not a readable WAV file: " + e.getMessage(), e);
        } catch (IllegalArgumentException | ArithmeticException | ArrayIndexOutOfBoundsException
                | NegativeArraySizeException e) {
            // javax.sound's parser throws these on some corrupt headers
            throw new AudioFormatException(name + " has a corrupt WAV header: " + e, e);
        }
    }

    /**
     * Reads whole frames. Not readAllBytes: AudioInputStream.read returns 0 (not -1) when asked for
     * less than one frame, and readAllBytes then spins forever on a header that declares huge frames.
     */
    private static byte[] readFrames(AudioInputStream in, int frameSize, long fileSize) throws IOException {
        byte[] buf = new byte[frameSize * Math.max(1, 65_536 / frameSize)];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(fileSize, 1 << 24));
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > fileSize) {
                throw new AudioFormatException("WAV decoder produced more bytes than the file holds");
            }
        }
        return out.toByteArray();
    }

    private static void checkFormat(AudioFormat f, String source) {
        AudioFormat.Encoding enc = f.getEncoding();
        int bits = f.getSampleSizeInBits();
        int channels = f.getChannels();
        float rate = f.getSampleRate();
        if (channels < 1 || channels > 64) {
            throw new AudioFormatException(source + ": unsupported channel count " + channels);
        }
        if (!(rate >= 1000 && rate <= 768_000)) {
            throw new AudioFormatException(source + ": unsupported sample rate " + rate);
        }
        boolean isFloat = enc.equals(AudioFormat.Encoding.PCM_FLOAT);
        boolean signed = enc.equals(AudioFormat.Encoding.PCM_SIGNED);
        boolean unsigned = enc.equals(AudioFormat.Encoding.PCM_UNSIGNED);
        if (!(isFloat && bits == 32) && !((signed || unsigned) && (bits == 8 || bits == 16 || bits == 24 || bits == 32))) {
            throw new AudioFormatException(source + ": unsupported encoding " + enc + " " + bits
                    + "-bit (supported: PCM 8/16/24/32-bit, 32-bit float)");
        }
        if (f.getFrameSize() != AudioSystem.NOT_SPECIFIED && f.getFrameSize() != channels * (bits / 8)) {
            throw new AudioFormatException(source + ": frame size " + f.getFrameSize() + " does not match "
                    + channels + " channels of " + bits + " bits");
        }
    }

    static float[] toMono(byte[] data, AudioFormat f, String source) {
        checkFormat(f, source);
        AudioFormat.Encoding enc = f.getEncoding();
        int bits = f.getSampleSizeInBits();
        int channels = f.getChannels();
        boolean isFloat = enc.equals(AudioFormat.Encoding.PCM_FLOAT);
        boolean unsigned = enc.equals(AudioFormat.Encoding.PCM_UNSIGNED);
        int bytesPerSample = bits / 8;
        int frameSize = bytesPerSample * channels;
        int frames = data.length / frameSize;
        boolean big = f.isBigEndian();
        float[] out = new float[frames];
        for (int i = 0; i < frames; i++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                int off = i * frameSize + c * bytesPerSample;
                sum += sample(data, off, bytesPerSample, big, isFloat, unsigned);
            }
            float v = (float) (sum / channels);
            out[i] = Float.isFinite(v) ? Math.max(-1f, Math.min(1f, v)) : 0f;
        }
        return out;
    }

    private static double sample(byte[] d, int off, int bytes, boolean big, boolean isFloat, boolean unsigned) {
        long v = 0;
        for (int b = 0; b < bytes; b++) {
            int idx = big ? off + b : off + bytes - 1 - b;
            v = (v << 8) | (d[idx] & 0xff);
        }
        if (isFloat) {
            return Float.intBitsToFloat((int) v);
        }
        int bits = bytes * 8;
        if (unsigned) {
            return (v - (1L << (bits - 1))) / (double) (1L << (bits - 1));
        }
        long signedV = (v << (64 - bits)) >> (64 - bits);
        return signedV / (double) (1L << (bits - 1));
    }
}
