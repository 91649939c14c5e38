package io.github.whisperjava.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** WAV files of every supported layout come out as the same 16 kHz mono signal. */
class WavReaderTest {
    @TempDir
    Path tmp;

    private static final double TONE_HZ = 440;
    private static final double SECONDS = 1.5;

    @ParameterizedTest(name = "{0} Hz, {1}-bit {2}, {3} channel(s)")
    @CsvSource({
        "16000, 16, PCM_SIGNED, 1", "16000, 8, PCM_UNSIGNED, 1", "16000, 24, PCM_SIGNED, 1",
        "16000, 32, PCM_SIGNED, 1", "16000, 32, PCM_FLOAT, 1", "44100, 16, PCM_SIGNED, 2",
        "48000, 24, PCM_SIGNED, 2", "8000, 16, PCM_SIGNED, 1", "22050, 32, PCM_FLOAT, 2", "96000, 16, PCM_SIGNED, 6"})
    void readsAnyLayoutAs16kMono(int rate, int bits, String encoding, int channels) throws IOException {
        Path wav = writeTone(rate, bits, new AudioFormat.Encoding(encoding), channels);
        float[] pcm = WavReader.read16kMono(wav);
        assertEquals(Math.round(SECONDS * 16_000), pcm.length, 2);
        // compare with the ideal tone, away from the edges where the resampler has no neighbours
        double err = 0;
        double energy = 0;
        for (int i = 800; i < pcm.length - 800; i++) {
            double ideal = 0.5 * Math.sin(2 * Math.PI * TONE_HZ * i / 16_000.0);
            err += (pcm[i] - ideal) * (pcm[i] - ideal);
            energy += ideal * ideal;
        }
        double snrDb = 10 * Math.log10(energy / err);
        double floor = bits == 8 ? 30 : 50;
        assertTrue(snrDb > floor, "signal-to-noise " + snrDb + " dB");
    }

    @Test
    void downsamplingRemovesWhatSixteenKilohertzCannotHold() throws IOException {
        // 11 kHz is above 16 kHz's Nyquist: it must be filtered out, not folded back to 5 kHz
        int rate = 48_000;
        float[] in = new float[rate];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) (0.5 * Math.sin(2 * Math.PI * 11_000 * i / rate));
        }
        float[] out = Resampler.resample(in, rate, 16_000);
        double rms = 0;
        for (int i = 500; i < out.length - 500; i++) {
            rms += out[i] * out[i];
        }
        rms = Math.sqrt(rms / (out.length - 1000));
        assertTrue(rms < 0.01, "aliased energy rms=" + rms);
    }

    @Test
    void readsJfkSample() {
        Path jfk = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"), "audio/jfk.wav");
        float[] pcm = WavReader.read16kMono(jfk);
        assertEquals(176_000, pcm.length);
        float peak = 0;
        for (float v : pcm) {
            peak = Math.max(peak, Math.abs(v));
        }
        assertTrue(peak > 0.1 && peak <= 1.0, "peak " + peak);
    }

    private Path writeTone(int rate, int bits, AudioFormat.Encoding enc, int channels) throws IOException {
        int frames = (int) Math.round(SECONDS * rate);
        int bytes = bits / 8;
        ByteBuffer buf = ByteBuffer.allocate(frames * channels * bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            double v = 0.5 * Math.sin(2 * Math.PI * TONE_HZ * i / rate);
            for (int c = 0; c < channels; c++) {
                if (enc.equals(AudioFormat.Encoding.PCM_FLOAT)) {
                    buf.putFloat((float) v);
                } else if (bits == 8) {
                    buf.put((byte) (Math.round(v * 127) + 128));
                } else if (bits == 16) {
                    buf.putShort((short) Math.round(v * 32767));
                } else if (bits == 24) {
                    int s = (int) Math.round(v * 8388607);
                    buf.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
                } else {
                    buf.putInt((int) Math.round(v * 2147483647.0));
                }
            }
        }
        AudioFormat f = new AudioFormat(enc, rate, bits, channels, bytes * channels, rate, false);
        Path out = tmp.resolve("tone-" + rate + "-" + bits + "-" + channels + ".wav");
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(buf.array()), f, frames)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, out.toFile());
        }
        assertTrue(Files.size(out) > 44);
        return out;
    }
}
