package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.AudioFixtures;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MP3, FLAC and Ogg Vorbis are transcribed from the samples whisper-cli decodes from the same file. With
 * random weights (ModelFixture) the text is deterministic noise, the same for all three encodings of
 * jfk.wav; the tokens' probabilities are not: they differ between the three by 1 to 8% (0.00126321,
 * 0.00130945 and 0.00136688 for the first token), so equal probabilities to whisper-cli's 6 printed
 * digits mean equal samples in.
 */
class CompressedAudioTranscriptionTest {
    // tokenTimestamps: what whisper-cli's -ojf (the JSON with token probabilities) turns on
    static final TranscribeParams PARAMS = TranscribeParams.builder().threads(2).temperatureIncrement(0)
            .tokenTimestamps(true).build();

    @TempDir
    Path tmp;
    static Path model;
    static Whisper whisper;

    @BeforeAll
    static void load() {
        model = TestData.fixture("tiny", "q5_1");
        whisper = Whisper.load(model);
    }

    @AfterAll
    static void close() {
        whisper.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jfk.mp3", "jfk.flac", "jfk.ogg"})
    void segmentsAndTokenProbabilitiesAreWhisperClisOnTheSameFile(String file) throws Exception {
        Path audio = AudioFixtures.path(file);
        // -nf: no temperature fallback, as temperatureIncrement(0); the rest as VadTest.cliSegments decodes
        Path json = tmp.resolve("cli");
        Transcript t = whisper.transcribe(audio, PARAMS);
        List<String> cli = VadTest.cliSegments(model, audio, "-nf", "-ojf", "-of", json.toString()).stream()
                .map(line -> CliTimes.clocks(line, t.audioDurationMs())).toList();
        List<String> mine = t.segments().stream()
                .map(s -> VadTest.format(s.startMs()) + " --> " + VadTest.format(s.endMs()) + "|" + s.text().strip())
                .toList();
        System.out.println(file + ": " + mine.size() + " segments, whisper-cli " + cli.size() + ": " + mine);
        assertFalse(cli.isEmpty(), "whisper-cli printed no segment for " + file);
        assertEquals(cli, mine);
        assertEquals(11_000, t.audioDurationMs());

        // whisper-cli's JSON: "id": N, "p": P per token (multi-byte characters merged into their first token)
        List<double[]> cliTokens = new ArrayList<>();
        Matcher m = Pattern.compile("\"id\": (\\d+),\\s*\"p\": ([-0-9.e+]+)")
                .matcher(Files.readString(Path.of(json + ".json")));
        while (m.find()) {
            cliTokens.add(new double[] {Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2))});
        }
        List<Token> ours = t.segments().stream().flatMap(s -> s.tokens().stream()).toList();
        assertFalse(cliTokens.isEmpty(), "no token in whisper-cli's JSON");
        int j = 0;
        for (double[] c : cliTokens) {
            while (j < ours.size() && ours.get(j).id() != (int) c[0]) {
                j++; // a token whisper-cli merged into the one before it
            }
            assertTrue(j < ours.size(), "whisper-cli's token " + (int) c[0] + " is not among ours: " + ours);
            double p = ours.get(j).probability();
            System.out.printf("%s: token %d p %.6g, whisper-cli %.6g%n", file, (int) c[0], p, c[1]);
            assertEquals(c[1], p, c[1] * 1e-5 + 1e-9, file + ": token " + (int) c[0]);
            j++;
        }
    }

    @Test
    void bytesAndStreamsAreTranscribedAsTheFileIs() throws Exception {
        Path mp3 = AudioFixtures.path("jfk.mp3");
        String fromPath = whisper.transcribe(mp3, PARAMS).text();
        assertEquals(fromPath, whisper.transcribe(Files.readAllBytes(mp3), PARAMS).text());
        try (InputStream in = Files.newInputStream(mp3)) {
            assertEquals(fromPath, whisper.transcribe(in, PARAMS, CallOptions.none().withListener(new TranscriptionListener() {})).text());
        }
    }

    @Test
    void anUnsupportedFormatIsRefusedBeforeAnyWork() {
        AudioFormatException e = assertThrows(AudioFormatException.class,
                () -> whisper.transcribe(AudioFixtures.path("unsupported.opus"), PARAMS));
        assertTrue(e.getMessage().contains("Ogg Opus, which is not supported"), e.getMessage());
    }
}
