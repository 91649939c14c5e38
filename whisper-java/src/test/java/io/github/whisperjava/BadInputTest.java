package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of bad input ends in a clear Java exception, and the JVM is still here afterwards. */
class BadInputTest {
    @TempDir
    Path tmp;

    @Test
    void missingModelFile() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Whisper.load(tmp.resolve("nope.bin")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void directoryAsModel() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Whisper.load(tmp));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void zeroLengthModel() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.bin"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Whisper.load(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void randomBytesModel() throws IOException {
        byte[] junk = new byte[1 << 20];
        new Random(42).nextBytes(junk);
        Path f = Files.write(tmp.resolve("random.bin"), junk);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Whisper.load(f));
        assertTrue(e.getMessage().contains("not a whisper.cpp ggml model"), e.getMessage());
    }

    @Test
    void textFileAsModel() throws IOException {
        Path f = Files.writeString(tmp.resolve("readme.bin"), "this is not a model\n");
        assertThrows(ModelLoadException.class, () -> Whisper.load(f));
    }

    /** Cut the tiny for-tests model at many points, from inside the magic to the last vocabulary byte. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 20, 47, 48, 52, 100, 1000, 64_000, 64_328, 64_329, 200_000, 575_000, 575_450})
    void truncatedModel(int keep) throws IOException {
        byte[] full = Files.readAllBytes(TestData.forTestsModel("tiny"));
        Path f = Files.write(tmp.resolve("truncated.bin"), Arrays.copyOf(full, Math.min(keep, full.length - 1)));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Whisper.load(f));
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("past the end")
                || e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void corruptHyperParameters() throws IOException {
        byte[] b = Files.readAllBytes(TestData.forTestsModel("base"));
        b[4 + 4 * 4] = (byte) 0xff; // n_audio_layer -> huge
        b[4 + 4 * 4 + 3] = (byte) 0x7f;
        Path f = Files.write(tmp.resolve("corrupt.bin"), b);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Whisper.load(f));
        assertTrue(e.getMessage().contains("corrupt header"), e.getMessage());
    }

    @Test
    void brokenWavHeader() throws IOException {
        byte[] wav = Files.readAllBytes(TestData.JFK_WAV);
        byte[] broken = Arrays.copyOf(wav, wav.length);
        broken[8] = 'X'; // "WAVE" -> "XAVE"
        Path f = Files.write(tmp.resolve("broken.wav"), broken);
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            assertThrows(AudioFormatException.class, () -> w.transcribe(f));
        }
    }

    @Test
    void wavTruncatedInsideHeader() throws IOException {
        Path f = Files.write(tmp.resolve("short.wav"), Arrays.copyOf(Files.readAllBytes(TestData.JFK_WAV), 30));
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            assertThrows(AudioFormatException.class, () -> w.transcribe(f));
        }
    }

    /**
     * Found by the WAV fuzz test (mutant 150): 30,209 channels make a frame larger than any read buffer,
     * AudioInputStream.read then returns 0 forever and InputStream.readAllBytes spun on it.
     */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void absurdChannelCountIsRejectedNotSpunOn() throws IOException {
        byte[] wav = Arrays.copyOf(Files.readAllBytes(TestData.JFK_WAV), 44 + 32_000);
        wav[22] = (byte) 0x01; // channels = 0x7601 = 30209
        wav[23] = (byte) 0x76;
        Path f = Files.write(tmp.resolve("channels.wav"), wav);
        assertThrows(AudioFormatException.class, () -> WavReader.read16kMono(f));
    }

    @Test
    void nonAudioFile() throws IOException {
        Path f = Files.write(tmp.resolve("notes.wav"), "hello, not audio".getBytes(StandardCharsets.UTF_8));
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            assertThrows(AudioFormatException.class, () -> w.transcribe(f));
            assertThrows(AudioFormatException.class, () -> w.transcribe(TestData.forTestsModel("tiny")));
            assertThrows(AudioFormatException.class, () -> w.transcribe(tmp.resolve("missing.wav")));
        }
    }

    @Test
    void emptyAudio() throws IOException {
        // a valid WAV header with a data chunk of zero bytes
        byte[] header = Arrays.copyOf(Files.readAllBytes(TestData.JFK_WAV), 44);
        header[40] = header[41] = header[42] = header[43] = 0;
        Path f = Files.write(tmp.resolve("empty.wav"), header);
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            assertThrows(AudioFormatException.class, () -> w.transcribe(new float[0]));
            assertThrows(AudioFormatException.class, () -> w.transcribe(f));
        }
    }

    @Test
    void nonFiniteSamples() {
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            float[] pcm = new float[16_000];
            pcm[100] = Float.NaN;
            assertThrows(IllegalArgumentException.class, () -> w.transcribe(pcm));
        }
    }

    @Test
    void veryShortAudioGivesAnEmptyTranscript() {
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            Transcript t = w.transcribe(new float[1600]);
            assertTrue(t.segments().isEmpty(), t.toString());
        }
    }

    @Test
    void aThousandYearTimeoutMeansNoTimeout() {
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            TranscribeParams p = TranscribeParams.builder().threads(1).timeout(Duration.ofDays(365_000))
                    .queueTimeout(Duration.ofDays(365_000)).build(); // toNanos() overflows
            ForTestsModelsTest.assertWellFormed(w.transcribe(new float[16_000], p));
        }
    }

    @Test
    void useAfterCloseAndDoubleClose() {
        Whisper w = Whisper.load(TestData.forTestsModel("tiny"));
        w.close();
        assertDoesNotThrow(w::close);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.transcribe(new float[16_000]));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> w.transcribe(TestData.JFK_WAV));
        assertTrue(w.isClosed());
    }

    @Test
    void absurdParams() {
        assertThrows(IllegalArgumentException.class, () -> TranscribeParams.builder().threads(-1).build());
        assertThrows(IllegalArgumentException.class, () -> TranscribeParams.builder().threads(0).build());
        assertThrows(IllegalArgumentException.class, () -> TranscribeParams.builder().beamSearch(1000).build());
        assertThrows(IllegalArgumentException.class, () -> TranscribeParams.builder().bestOf(0).build());
        assertThrows(IllegalArgumentException.class, () -> TranscribeParams.builder().temperature(Float.NaN).build());
        assertThrows(IllegalArgumentException.class, () -> TranscribeParams.builder().offsetMs(-5).build());
        assertThrows(IllegalArgumentException.class, () -> TranscribeParams.builder().language("").build());
        assertThrows(IllegalArgumentException.class, () -> TranscribeParams.builder().initialPrompt("a\0b").build());
        assertThrows(IllegalArgumentException.class, () -> ModelOptions.defaults().withConcurrency(0));
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.transcribe(
                    new float[16_000], TranscribeParams.builder().language("klingon").build()));
            assertTrue(e.getMessage().contains("unknown language"), e.getMessage());
        }
    }
}
