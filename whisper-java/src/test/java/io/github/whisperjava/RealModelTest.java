package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * from the same sources prints with the same parameters. Skips, saying why, without real weights.
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
