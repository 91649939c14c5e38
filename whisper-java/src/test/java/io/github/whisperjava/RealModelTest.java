package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With real weights: jfk.wav transcribes to its reference text, and to exactly what whisper-cli built
 * from the same sources prints with the same parameters; the fitted window and VAD keep that quality.
 * Skips, saying why, without real weights.
 */
class RealModelTest {
    private static final TranscribeParams GREEDY = TranscribeParams.builder().threads(2).build();

    @Test
    void jfkMatchesReferenceTranscript() throws IOException {
        Path model = TestData.requireRealModel();
        try (Whisper w = Whisper.load(model)) {
            String text = w.transcribe(TestData.JFK_WAV, GREEDY).text();
            String reference = Files.readString(TestData.JFK_TXT);
            double wer = wordErrorRate(reference, text);
            System.out.printf("%s: WER %.3f: %s%n", model.getFileName(), wer, text);
            assertTrue(wer <= 0.10, "WER " + wer + " for: " + text);
        }
    }

    @Test
    void jfkMatchesWhisperCli() throws Exception {
        Path model = TestData.requireRealModel();
        ProcessBuilder pb = new ProcessBuilder(TestData.whisperCli().toString(), "-m", model.toString(),
                "-f", TestData.JFK_WAV.toString(), "-t", "2", "-bs", "1", "-bo", "5", "-l", "en", "-nt", "-np")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String cli = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "whisper-cli failed");
        try (Whisper w = Whisper.load(model)) {
            assertEquals(normalize(cli), normalize(w.transcribe(TestData.JFK_WAV, GREEDY.toBuilder()
                    .strategy(SamplingStrategy.GREEDY).build()).text()));
        }
    }

    /** Words with real weights (several to a segment) are the segments whisper-cli prints with -ml 1 -sow. */
    @Test
    void jfkWordsAreWhisperClisOneWordSegments() throws Exception {
        Path model = TestData.requireRealModel();
        Path base = Files.createTempDirectory("whisper-words").resolve("jfk");
        Process p = new ProcessBuilder(TestData.whisperCli().toString(), "-m", model.toString(), "-f",
                TestData.JFK_WAV.toString(), "-t", "2", "-bs", "1", "-bo", "5", "-l", "en", "-ml", "1", "-sow", "-oj",
                "-of", base.toString(), "-np").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "whisper-cli failed");
        try (Whisper w = Whisper.load(model)) {
            Transcript t = w.transcribe(TestData.JFK_WAV, GREEDY.toBuilder().strategy(SamplingStrategy.GREEDY)
                    .tokenTimestamps(true).build());
            assertTrue(t.segments().stream().anyMatch(s -> s.words().size() > 1), t.segments().toString());
            TestData.assertWordsAreSegments(Files.readString(Path.of(base + ".json")), t.words());
        }
    }

    /**
     * Issue 9's quality bar for {@link EncoderWindow#FIT_AUDIO}: over every clip of ../shared/audio with
     * a reference transcript, its word error rate is within 1 point (absolute) of the full window's.
     */
    @Test
    void fittedWindowWerIsWithinOnePointOfTheFullWindow() throws IOException {
        Path model = TestData.requireRealModel();
        List<Path> clips;
        try (var files = Files.list(TestData.JFK_WAV.getParent())) {
            clips = files.filter(p -> p.toString().endsWith(".wav"))
                    .filter(p -> Files.exists(Path.of(p.toString().replaceAll("\\.wav$", ".txt")))).sorted().toList();
        }
        assertTrue(!clips.isEmpty(), "no clip with a reference transcript");
        double full = 0;
        double fitted = 0;
        try (Whisper w = Whisper.load(model)) {
            for (Path clip : clips) {
                String reference = Files.readString(Path.of(clip.toString().replaceAll("\\.wav$", ".txt")));
                full += wordErrorRate(reference, w.transcribe(clip, GREEDY).text());
                Transcript t = w.transcribe(clip, GREEDY.toBuilder().encoderWindow(EncoderWindow.FIT_AUDIO).build());
                fitted += wordErrorRate(reference, t.text());
                System.out.printf("%s %s: fitted window %d positions%s%n", model.getFileName(), clip.getFileName(),
                        t.encoderPositions(), t.fellBackToFullWindow() ? ", fell back: " + t.windowFallback() : "");
            }
        }
        full /= clips.size();
        fitted /= clips.size();
        System.out.printf("%s: WER full %.3f, fitted %.3f over %d clips%n", model.getFileName(), full, fitted,
                clips.size());
        assertTrue(Math.abs(fitted - full) <= 0.01, "WER full " + full + ", fitted " + fitted);
    }

    /** With VAD, jfk.wav behind 5 s of silence still reads as its reference, at its place in the file. */
    @Test
    void vadTranscribesJfkBehindSilenceAtItsTime() throws IOException {
        Path model = TestData.requireRealModel();
        float[] jfk = WavReader.read16kMono(TestData.JFK_WAV);
        float[] padded = new float[jfk.length + 10 * 16_000];
        System.arraycopy(jfk, 0, padded, 5 * 16_000, jfk.length);
        try (Whisper w = Whisper.load(model)) {
            Transcript t = w.transcribe(padded, GREEDY.toBuilder().vad(VadTest.VAD).build(), CallOptions.none());
            double wer = wordErrorRate(Files.readString(TestData.JFK_TXT), t.text());
            System.out.printf("%s with VAD: WER %.3f, first segment at %d ms: %s%n", model.getFileName(), wer,
                    t.segments().get(0).startMs(), t.text());
            assertTrue(wer <= 0.10, "WER " + wer + " for: " + t.text());
            assertTrue(t.segments().get(0).startMs() >= 4_500, "first segment at " + t.segments().get(0).startMs());
            assertTrue(t.segments().get(t.segments().size() - 1).endMs() <= 16_500);
        }
    }

    static String normalize(String s) {
        return String.join(" ", words(s));
    }

    static List<String> words(String s) {
        String clean = s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}' ]+", " ").trim();
        return clean.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(clean.split("\\s+")));
    }

    /** Word-level Levenshtein distance over the reference length, after lowercasing and removing punctuation. */
    static double wordErrorRate(String reference, String hypothesis) {
        List<String> r = words(reference);
        List<String> h = words(hypothesis);
        int[][] d = new int[r.size() + 1][h.size() + 1];
        for (int i = 0; i <= r.size(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= h.size(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= r.size(); i++) {
            for (int j = 1; j <= h.size(); j++) {
                int sub = d[i - 1][j - 1] + (r.get(i - 1).equals(h.get(j - 1)) ? 0 : 1);
                d[i][j] = Math.min(sub, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
            }
        }
        return r.isEmpty() ? (h.isEmpty() ? 0 : 1) : (double) d[r.size()][h.size()] / r.size();
    }

    @Test
    void wordErrorRateIsComputedAsDefined() {
        assertEquals(0.0, wordErrorRate("Ask not, what!", "ask NOT what"));
        assertEquals(1.0 / 3, wordErrorRate("ask not what", "ask what"), 1e-9);
        assertEquals(2.0 / 3, wordErrorRate("ask not what", "task knot what"), 1e-9);
    }
}
