package io.github.whisperjava.benchmarks;

import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.audio.WavReader;
import io.github.whisperjava.fixtures.ModelFixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * What every compared path transcribes: a model (a generated full-size fixture of {@code size} at
 * {@code quant}, or real weights named by {@code model}) and a clip (2 s, jfk.wav's 11 s, or 60 s
 * built from it) written as a 16 kHz mono WAV, with the same parameters everywhere.
 */
final class Workload {
    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir", "../shared"));
    static final Path CPP_BIN = Paths.get(System.getProperty("whisper.cpp.bin", "whisper-jni/target/cmake/whisper.cpp/bin"));
    static final Path FLOOR = Paths.get(System.getProperty("whisper.floor", "whisper-jni/target/cmake/whisper-floor"));
    static final Path FIXTURES = Paths.get(System.getProperty("whisper.fixtures.dir",
            Paths.get(System.getProperty("user.home"), ".cache", "whisper-java", "fixtures").toString()));
    static final int THREADS = Integer.getInteger("whisper.threads", 2);

    /** Greedy, no temperature fallback, English: what `whisper-cli -t N -bs 1 -nf -l en` does. */
    static final TranscribeParams PARAMS = TranscribeParams.builder().threads(THREADS).temperatureIncrement(0)
            .language("en").build();

    /** The genuine Silero v6.2.0 VAD model of ../shared. */
    static final Path SILERO = SHARED.resolve("models/for-tests-silero-v6.2.0-ggml.bin");

    /**
     * Drops {@code file} from the page cache (GNU dd's iflag=nocache with count=0 is
     * posix_fadvise(POSIX_FADV_DONTNEED) over the whole file) and checks with fincore that it is gone:
     * a "cold" run that found the file cached would measure a warm one.
     */
    static void evictFromPageCache(Path file) throws IOException, InterruptedException {
        run("dd", "if=" + file, "iflag=nocache", "count=0", "status=none");
        String resident = run("fincore", "--bytes", "--noheadings", "--output", "RES", file.toString()).strip();
        long bytes = Long.parseLong(resident);
        if (bytes > Files.size(file) / 100) {
            throw new IllegalStateException(file + " is still in the page cache (" + bytes + " bytes resident)");
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    static Path model(String size, String quant, String model) throws IOException {
        if (!model.isEmpty()) {
            return Paths.get(model);
        }
        return ModelFixture.generate(size, quant, FIXTURES, SHARED.resolve("models"), CPP_BIN, 42);
    }

    static float[] clip(String clip) {
        float[] jfk = WavReader.read16kMono(SHARED.resolve("audio/jfk.wav"));
        if (clip.equals("padded")) {
            // jfk.wav with 20 s of silence: 10 s before, 10 s after (31 s: two full windows without VAD)
            float[] out = new float[20 * WavReader.SAMPLE_RATE + jfk.length];
            System.arraycopy(jfk, 0, out, 10 * WavReader.SAMPLE_RATE, jfk.length);
            return out;
        }
        int seconds = switch (clip) {
            case "2s" -> 2;
            case "5s" -> 5;
            case "11s" -> 0;
            case "60s" -> 60;
            default -> throw new IllegalArgumentException("clip must be 2s, 5s, 11s, 60s or padded: " + clip);
        };
        if (seconds == 0) {
            return jfk;
        }
        float[] out = new float[seconds * WavReader.SAMPLE_RATE];
        for (int i = 0; i < out.length; i++) {
            out[i] = jfk[i % jfk.length];
        }
        return out;
    }

    static Path writeWav(float[] pcm, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : pcm) {
            b.putShort((short) Math.round(Math.max(-1f, Math.min(1f, v)) * 32767));
        }
        AudioFormat f = new AudioFormat(WavReader.SAMPLE_RATE, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(b.array()), f, pcm.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    static Path writeF32(float[] pcm, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(pcm.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : pcm) {
            b.putFloat(v);
        }
        return Files.write(file, b.array());
    }

    private Workload() {}
}
