package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.whisperjava.audio.WavReader;
import io.github.whisperjava.fixtures.VocabularyRewrite;
import io.github.whisperjava.output.OutputContext;
import io.github.whisperjava.output.OutputFormat;
import io.github.whisperjava.output.TranscriptWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /**
     * A clip of jfk.wav on which the fixture decodes, on this machine's CPU variant, what the tests below
     * need: two different text tokens (a segment per token with {@code -ml 1}, two tokens to rewrite) and
     * a word whose times are not its token's (see FixtureClips).
     */
    static Path clip;

    @BeforeAll
    static void load() throws Exception {
        whisper = Whisper.load(MODEL);
        clip = FixtureClips.find(dir, "two different text tokens, a segment each with -ml 1, a word timed by its "
                + "segment", audio -> {
                    if (!FixtureClips.twoDifferentTextTokens(whisper.transcribe(audio, PARAMS))) {
                        return false;
                    }
                    if (whisper.transcribe(audio, PARAMS.toBuilder().maxSegmentLength(1).build()).segments().size() < 2) {
                        return false;
                    }
                    return aWordIsNotTimedByItsToken(whisper.transcribe(audio,
                            PARAMS.toBuilder().tokenTimestamps(true).build()));
                }).wav();
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
        assertEquals(100, d.ranked().size(), "every language whisper.cpp 1.9.1 knows (g_lang, ids 0 to 99)");
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
        assertTrue(aWordIsNotTimedByItsToken(t),
                "no word differs from its token's times, so this compares nothing beyond them: " + t.segments());
    }

    static boolean aWordIsNotTimedByItsToken(Transcript t) {
        return t.words().stream().anyMatch(w -> t.segments().stream().flatMap(s -> s.tokens().stream())
                .filter(x -> !x.special()).noneMatch(x -> x.startMs() == w.startMs() && x.endMs() == w.endMs()));
    }

    /**
     * The escapes of the writers, on text whisper-cli itself printed: the fixture's first two different
     * text tokens on the clip rewritten (VocabularyRewrite: same weights, same ids) to hold double quotes, backslashes
     * and control characters. CSV doubles the quotes, JSON escapes quotes and backslashes, as
     * whisper-cli does; control characters whisper-cli writes into JSON raw, and so its file is no JSON
     * (a strict parser refuses it): the library's file is whisper-cli's with them escaped, backslash, u, four hex digits.
     */
    @Test
    void quotesBackslashesAndControlCharactersAreEscapedAsWhisperCliEscapesThem() throws Exception {
        float[] audio = WavReader.read16kMono(clip);
        List<Integer> ids = FixtureClips.textTokenIds(whisper.transcribe(audio, PARAMS)).stream().distinct().toList();
        assertTrue(ids.size() >= 2, "the clip was chosen for two different text tokens: " + ids);
        String first = " say \"hi\", C:\\dir\\\"x\"";
        String second = " \u0001ctl\u001f \\\\ \"\"";
        Path model = VocabularyRewrite.write(MODEL,
                Map.of(ids.get(0), first.getBytes(StandardCharsets.UTF_8), ids.get(1),
                        second.getBytes(StandardCharsets.UTF_8)), dir.resolve("escapes.bin"));
        Path plain = cli(model, "escapes", clip, "-otxt", "-ovtt", "-osrt", "-ocsv", "-olrc", "-oj");
        Path full = cli(model, "escapes-full", clip, "-ojf");
        try (Whisper w = Whisper.load(model)) {
            Transcript t = w.transcribe(audio, PARAMS);
            // the two tokens may share a segment, or stand beside other tokens in theirs
            List<String> segments = t.segments().stream().map(Segment::text).toList();
            String all = String.join("", segments);
            assertTrue(all.contains(first) && all.contains(second), "the rewrite took: " + segments);
            OutputContext context = new OutputContext(w.info(), model.toString(), "en", false, Whisper.systemInfo());
            for (OutputFormat f : List.of(OutputFormat.TXT, OutputFormat.VTT, OutputFormat.SRT, OutputFormat.CSV,
                    OutputFormat.LRC)) {
                assertEquals(read(plain, f), TranscriptWriter.format(t, f, context), f + " differs from whisper-cli's");
            }
            String csv = TranscriptWriter.format(t, OutputFormat.CSV, context);
            assertTrue(csv.contains(" say \"\"hi\"\", C:\\dir\\\"\"x\"\""), "RFC 4180 quotes: " + csv);

            String json = TranscriptWriter.format(t, OutputFormat.JSON, context);
            assertTrue(json.contains("say \\\"hi\\\", C:\\\\dir\\\\\\\"x\\\"") && json.contains("\\u0001ctl\\u001f"),
                    json);
            assertEscapedAsWhisperCli(read(plain, OutputFormat.JSON), json);

            Transcript timed = w.transcribe(audio, PARAMS.toBuilder().tokenTimestamps(true).build());
            String jsonFull = TranscriptWriter.format(timed, OutputFormat.JSON_FULL, context);
            assertEscapedAsWhisperCli(read(full, OutputFormat.JSON_FULL), jsonFull);
            List<String> texts = new ArrayList<>();
            JSON.readTree(jsonFull).get("transcription").forEach(s -> s.get("tokens")
                    .forEach(x -> texts.add(x.get("text").asText())));
            assertTrue(texts.contains(first) && texts.contains(second), "each token's text, unescaped: " + texts);
        }
    }

    /** {@code ours} is {@code theirs} with its raw control characters escaped; JSON that parses. */
    static void assertEscapedAsWhisperCli(String theirs, String ours) throws IOException {
        assertTrue(theirs.indexOf('\u0001') >= 0, "whisper-cli's file should hold the raw control character");
        assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> JSON.readTree(theirs),
                "whisper-cli's file with a raw control character should be no JSON, or this difference is none");
        StringBuilder escaped = new StringBuilder();
        theirs.chars().forEach(c -> escaped.append(c < 0x20 && c != '\n' && c != '\t'
                ? String.format(Locale.ROOT, "\\u%04x", c) : String.valueOf((char) c)));
        assertSameJson(escaped.toString(), ours);
    }

    /**
     * Runs whisper-cli writing to {@code dir/name.*}, with its times bounded by the audio's end as the
     * library's are (see CliTimes); returns that base path.
     */
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
        CliTimes.bound(base, audio);
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
