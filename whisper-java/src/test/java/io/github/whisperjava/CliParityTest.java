package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.whisperjava.audio.WavReader;
import io.github.whisperjava.output.OutputContext;
import io.github.whisperjava.output.OutputFormat;
import io.github.whisperjava.output.TranscriptWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library against whisper-cli, built from the same pinned source, on the same model and audio
 * with the same decoding parameters: the random-weights fixture decodes deterministic noise text, so
 * every output file must be the same bytes (JSON: the same bytes but for whisper-cli's systeminfo
 * line, and the same tree through a real JSON parser).
 */
class CliParityTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path MODEL = TestData.fixture("tiny", "q5_1");
    static final TranscribeParams PARAMS = TranscribeParams.builder().threads(2).bestOf(5).language("en").build();
    static Whisper whisper;

    @TempDir
    static Path dir;

    /** The first 5 s of jfk.wav: the fixture decodes two segments of Korean and English noise from it. */
    static Path clip;

    @BeforeAll
    static void load() throws Exception {
        whisper = Whisper.load(MODEL);
        clip = dir.resolve("jfk-5s.wav");
        VadTest.writeWav(clip, Arrays.copyOf(WavReader.read16kMono(TestData.JFK_WAV), 5 * 16_000));
    }

    @AfterAll
    static void close() {
        whisper.close();
    }

    @Test
    void everyTextFormatIsWhisperClisBytes() throws Exception {
        Path base = cli("plain", TestData.JFK_WAV, "-otxt", "-ovtt", "-osrt", "-ocsv", "-olrc", "-oj");
        Transcript t = whisper.transcribe(WavReader.read16kMono(TestData.JFK_WAV), PARAMS);
        assertFalse(t.segments().isEmpty(), "the fixture should decode some noise text");
        OutputContext context = new OutputContext(whisper.info(), MODEL.toString(), "en", false, Whisper.systemInfo());
        for (OutputFormat f : List.of(OutputFormat.TXT, OutputFormat.VTT, OutputFormat.SRT, OutputFormat.CSV,
                OutputFormat.LRC)) {
            assertEquals(read(base, f), TranscriptWriter.format(t, f, context), f + " differs from whisper-cli's");
        }
        assertSameJson(read(base, OutputFormat.JSON), TranscriptWriter.format(t, OutputFormat.JSON, context));
    }

    @Test
    void fullJsonHasWhisperClisTokensAndTimes() throws Exception {
        Path base = cli("full", clip, "-ojf");
        Transcript t = whisper.transcribe(WavReader.read16kMono(clip), PARAMS.toBuilder().tokenTimestamps(true).build());
        OutputContext context = new OutputContext(whisper.info(), MODEL.toString(), "en", false, Whisper.systemInfo());
        String ours = TranscriptWriter.format(t, OutputFormat.JSON_FULL, context);
        assertSameJson(read(base, OutputFormat.JSON_FULL), ours);
        JsonNode tokens = JSON.readTree(ours).get("transcription").get(0).get("tokens");
        assertTrue(tokens.size() > 0 && tokens.get(0).has("offsets") && tokens.get(0).has("p"), ours);
    }

    @Test
    void dtwTokenTimesAreWhisperClis() throws Exception {
        // whisper-cli needs the preset named and flash attention off; the library finds both itself
        Path base = cli("dtw", clip, "-ojf", "-dtw", "tiny", "-nfa");
        try (Whisper w = Whisper.load(MODEL, ModelOptions.defaults().withDtwTokenTimestamps(true))) {
            Transcript t = w.transcribe(WavReader.read16kMono(clip), PARAMS.toBuilder().tokenTimestamps(true).build());
            assertTrue(t.segments().stream().flatMap(x -> x.tokens().stream()).filter(x -> !x.special())
                    .allMatch(x -> x.dtwMs() >= 0), "every text token has a DTW time: " + t.segments());
            String ours = TranscriptWriter.format(t, OutputFormat.JSON_FULL,
                    new OutputContext(w.info(), MODEL.toString(), "en", false, Whisper.systemInfo()));
            assertSameJson(read(base, OutputFormat.JSON_FULL), ours);
        }
        assertTrue(whisper.transcribe(WavReader.read16kMono(clip), PARAMS).segments().stream()
                .flatMap(x -> x.tokens().stream()).allMatch(x -> x.dtwMs() == -1), "no DTW unless loaded with it");
    }

    @Test
    void maxLengthSplitsSegmentsAsWhisperCliDoes() throws Exception {
        float[] audio = WavReader.read16kMono(clip);
        Path tokens = cli("tokens", clip, "-ml", "1", "-osrt");
        Transcript perToken = whisper.transcribe(audio, PARAMS.toBuilder().maxSegmentLength(1).build());
        assertEquals(read(tokens, OutputFormat.SRT), TranscriptWriter.format(perToken, OutputFormat.SRT, null));
        assertTrue(perToken.segments().size() > 1, "a segment per token: " + perToken.segments());

        Path words = cli("words", clip, "-ml", "1", "-sow", "-osrt");
        Transcript perWord = whisper.transcribe(audio, PARAMS.toBuilder().maxSegmentLength(1).splitOnWord(true).build());
        assertEquals(read(words, OutputFormat.SRT), TranscriptWriter.format(perWord, OutputFormat.SRT, null));
    }

    @Test
    void detectedLanguageAndProbabilityAreWhisperClis() throws Exception {
        // whisper-cli prints "auto-detected language: xx (p = 0.123456)" and, with -dl, stops there
        List<String> cmd = command(TestData.JFK_WAV, "-l", "auto", "-dl");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        Matcher m = Pattern.compile("auto-detected language: (\\S+) \\(p = ([0-9.]+)\\)").matcher(out);
        assertTrue(m.find(), out);
        float[] jfk = WavReader.read16kMono(TestData.JFK_WAV);

        LanguageDetection d = whisper.detectLanguage(jfk, PARAMS);
        assertEquals(m.group(1), d.language());
        assertEquals(Float.parseFloat(m.group(2)), d.probability(), 1e-5f);
        double sum = d.ranked().stream().mapToDouble(LanguageProbability::probability).sum();
        assertEquals(1.0, sum, 1e-3, "probabilities over all languages");
        assertTrue(d.ranked().size() >= 99, "every language whisper knows: " + d.ranked().size());
        for (int i = 1; i < d.ranked().size(); i++) {
            assertTrue(d.ranked().get(i - 1).probability() >= d.ranked().get(i).probability(), "ranked");
        }

        Transcript auto = whisper.transcribe(jfk, PARAMS.toBuilder().language("auto").build());
        assertEquals(d.language(), auto.language());
        assertEquals(d.probability(), auto.languageProbability(), 1e-6f);
        assertTrue(auto.languageDetected());
        assertFalse(whisper.transcribe(jfk, PARAMS).languageDetected(), "a given language is not detected");
    }

    /**
     * Words are the segments whisper-cli prints with {@code -ml 1 -sow}, one word each: the same text,
     * start and end, from a transcription that was not split (the fixture decodes one word per segment
     * here, so each word spans its whole segment, not just its token; RealModelTest compares segments of
     * many words on real weights).
     */
    @Test
    void wordsAreWhisperClisOneWordSegments() throws Exception {
        Path base = cli("one-word", clip, "-ml", "1", "-sow", "-oj");
        Transcript t = whisper.transcribe(WavReader.read16kMono(clip), PARAMS.toBuilder().tokenTimestamps(true).build());
        TestData.assertWordsAreSegments(read(base, OutputFormat.JSON), t.words());
        assertTrue(t.words().stream().anyMatch(w -> t.segments().stream().flatMap(s -> s.tokens().stream())
                .filter(x -> !x.special()).noneMatch(x -> x.startMs() == w.startMs() && x.endMs() == w.endMs())),
                "no word differs from its token's times, so this compares nothing beyond them: " + t.segments());
    }

    /** Runs whisper-cli writing to {@code dir/name.*}; returns that base path. */
    static Path cli(String name, Path audio, String... outputs) throws Exception {
        return cli(MODEL, name, audio, outputs);
    }

    static Path cli(Path model, String name, Path audio, String... outputs) throws Exception {
        Path base = dir.resolve(name);
        List<String> cmd = command(audio, outputs);
        cmd.set(cmd.indexOf(MODEL.toString()), model.toString());
        cmd.addAll(List.of("-of", base.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return base;
    }

    static List<String> command(Path audio, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(TestData.whisperCli().toString(), "-m", MODEL.toString(), "-f",
                audio.toString(), "-t", "2", "-bs", "1", "-bo", "5", "-l", "en"));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    static String read(Path base, OutputFormat f) throws IOException {
        return Files.readString(base.resolveSibling(base.getFileName() + f.extension()), StandardCharsets.UTF_8);
    }

    /** Same bytes but for the systeminfo line; and the same tree once both are parsed. */
    static void assertSameJson(String theirs, String ours) throws IOException {
        String line = "(?m)^\t\"systeminfo\": .*$";
        assertEquals(theirs.replaceAll(line, ""), ours.replaceAll(line, ""));
        ObjectNode a = (ObjectNode) JSON.readTree(theirs);
        ObjectNode b = (ObjectNode) JSON.readTree(ours);
        a.remove("systeminfo");
        b.remove("systeminfo");
        assertEquals(a, b);
    }
}
