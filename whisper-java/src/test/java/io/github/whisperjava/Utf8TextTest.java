package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import io.github.whisperjava.fixtures.VocabularyRewrite;
import io.github.whisperjava.internal.Utf8;
import io.github.whisperjava.output.OutputContext;
import io.github.whisperjava.output.OutputFormat;
import io.github.whisperjava.output.TranscriptWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text stays bytes until it is whole. A model file whose vocabulary cuts "日本" (E6 97 A5 | E6 9C AC)
 * between two tokens the fixture is known to decode side by side: the weights are untouched, so the
 * decoded ids are the same, and the text must come out whole where whisper-cli's does.
 */
class Utf8TextTest {
    static final byte[] FIRST = {' ', (byte) 0xE6, (byte) 0x97}; // " " and 2 of 日's 3 bytes
    static final byte[] SECOND = {(byte) 0xA5, (byte) 0xE6, (byte) 0x9C, (byte) 0xAC}; // 日's last byte, 本

    @TempDir
    Path dir;

    @Test
    void incompleteTails() {
        assertEquals(0, tail(""));
        assertEquals(0, tail("abc"));
        assertEquals(0, tail("日本"));
        byte[] ri = "日".getBytes(StandardCharsets.UTF_8);
        assertEquals(2, Utf8.incompleteTail(Arrays.copyOf(ri, 2), 2));
        assertEquals(1, Utf8.incompleteTail(Arrays.copyOf(ri, 1), 1));
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        assertEquals(3, Utf8.incompleteTail(Arrays.copyOf(emoji, 3), 3));
        assertEquals(0, Utf8.incompleteTail(new byte[] {(byte) 0x80, (byte) 0x80}, 2), "stray continuation bytes");
        assertEquals(0, Utf8.incompleteTail(new byte[] {(byte) 0xFF}, 1), "no UTF-8 at all");
    }

    @Test
    void aCharacterCutBetweenTokensComesOutWhole() throws Exception {
        // without timestamp tokens (whisper-cli -nt) the fixture's text tokens share one segment
        TranscribeParams params = CliParityTest.PARAMS.toBuilder().tokenTimestamps(true).noTimestamps(true).build();
        int[] pair;
        FixtureClips.Clip found;
        try (Whisper w = Whisper.load(CliParityTest.MODEL)) {
            found = FixtureClips.find(dir, "two different text tokens side by side in one segment",
                    a -> adjacentTextTokens(w.transcribe(a, params)) != null);
            pair = adjacentTextTokens(w.transcribe(found.audio(), params));
        }
        Path clip = found.wav();
        float[] audio = found.audio();
        int[] ids = pair;
        Path model = VocabularyRewrite.write(CliParityTest.MODEL, Map.of(ids[0], FIRST, ids[1], SECOND),
                dir.resolve("split-vocabulary.bin"));
        try (Whisper w = Whisper.load(model)) {
            Transcript t = w.transcribe(audio, params);
            Segment s = t.segments().stream().filter(x -> x.text().contains("日本")).findFirst().orElse(null);
            assertNotNull(s, "the rewritten tokens should decode to 日本: " + t.segments());
            assertEquals(new String(textBytes(s), StandardCharsets.UTF_8), s.text(), "text = its tokens' joined bytes");
            Token first = s.tokens().stream().filter(x -> x.id() == ids[0]).findFirst().orElseThrow();
            assertArrayEquals(FIRST, first.bytes());
            assertTrue(first.text().contains("\uFFFD"), "a fragment alone is no character: " + first.text());
            List<Word> words = s.words();
            // the word opens with the two tokens (" " starts a word); tokens after them without a space join it
            assertTrue(words.stream().anyMatch(x -> x.text().startsWith("日本") && x.tokens() >= 2), words.toString());

            // whisper-cli -ojf merges the two tokens into one item; the library's file is the same bytes
            Path base = dir.resolve("cli");
            List<String> cmd = CliParityTest.command(clip, "-nt", "-ojf", "-of", base.toString());
            cmd.set(cmd.indexOf(CliParityTest.MODEL.toString()), model.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor());
            CliTimes.bound(base, clip);
            String ours = TranscriptWriter.format(t, OutputFormat.JSON_FULL,
                    new OutputContext(w.info(), model.toString(), "en", false, Whisper.systemInfo()));
            CliParityTest.assertSameJson(CliParityTest.read(base, OutputFormat.JSON_FULL), ours);
            assertTrue(ours.contains("\"text\": \" 日本"), "the merged token item: " + ours);
        }
    }

    /**
     * whisper.cpp can end a segment between the two tokens of one character; whisper-cli then writes
     * half a character at the end of one line and the rest at the start of the next. The library moves
     * the unfinished bytes to the segment that finishes it, streamed segments and words included.
     */
    @Test
    void aCharacterCutBetweenSegmentsMovesToTheSegmentThatFinishesIt() throws Exception {
        TranscribeParams params = CliParityTest.PARAMS.toBuilder().tokenTimestamps(true).build();
        int[] cut;
        FixtureClips.Clip found;
        try (Whisper w = Whisper.load(CliParityTest.MODEL)) {
            found = FixtureClips.find(dir, "two segments whose boundary tokens occur once each; no broken character",
                    a -> {
                        Transcript t = w.transcribe(a, params);
                        return tokensAcrossSegments(t) != null && !t.text().contains("\uFFFD");
                    });
            cut = tokensAcrossSegments(w.transcribe(found.audio(), params));
        }
        Path clip = found.wav();
        float[] audio = found.audio();
        int k = cut[2];
        Path model = VocabularyRewrite.write(CliParityTest.MODEL, Map.of(cut[0], FIRST, cut[1], SECOND),
                dir.resolve("split-segments.bin"));
        try (Whisper w = Whisper.load(model)) {
            List<Segment> streamed = new ArrayList<>();
            Transcript t = w.transcribe(audio, params, CallOptions.none().withListener(new TranscriptionListener() {
                @Override
                public void onSegment(Segment segment) {
                    streamed.add(segment);
                }
            }));
            List<Segment> s = t.segments();
            // the cut is where this test means it: the first half ends segment k, the rest starts k + 1
            assertTrue(s.size() > k + 1, "the rewritten vocabulary changed the segments: " + s);
            assertEquals(cut[0], textTokens(s.get(k)).get(textTokens(s.get(k)).size() - 1).id(), s.toString());
            assertEquals(cut[1], textTokens(s.get(k + 1)).get(0).id(), s.toString());
            assertTrue(s.get(k + 1).text().startsWith("日本"), "the whole character opens segment k + 1: " + s);
            assertFalse(t.text().contains("\uFFFD"), "nothing else in this transcript is broken: " + s);
            assertEquals(s.stream().map(Segment::text).toList(), streamed.stream().map(Segment::text).toList());
            assertTrue(t.words().stream().anyMatch(x -> x.text().startsWith("日本")), t.words().toString());
            assertTrue(t.words().stream().noneMatch(x -> x.text().contains("\uFFFD")), t.words().toString());

            // whisper-cli's text file has the cut: line k ends in 日's first two bytes, line k + 1 opens
            // with its last; the library's segments are those lines with the two bytes moved down
            Path base = dir.resolve("cli-segments");
            List<String> cmd = CliParityTest.command(clip, "-otxt", "-of", base.toString());
            cmd.set(cmd.indexOf(CliParityTest.MODEL.toString()), model.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), log);
            List<byte[]> lines = lines(Files.readAllBytes(Path.of(base + ".txt")));
            assertEquals(s.size(), lines.size(), "one line per segment: " + s);
            byte[] half = Arrays.copyOfRange(FIRST, 1, FIRST.length);
            byte[] end = lines.get(k);
            assertArrayEquals(half, Arrays.copyOfRange(end, end.length - half.length, end.length),
                    "whisper-cli's segment " + k + " ends inside a character");
            assertEquals(SECOND[0], lines.get(k + 1)[0], "whisper-cli's segment " + (k + 1) + " opens with the rest");
            for (int i = 0; i < s.size(); i++) {
                byte[] theirs = lines.get(i);
                if (i == k) {
                    theirs = Arrays.copyOf(theirs, theirs.length - half.length);
                } else if (i == k + 1) {
                    theirs = concat(half, theirs);
                }
                assertArrayEquals(theirs, s.get(i).text().getBytes(StandardCharsets.UTF_8), "segment " + i);
            }
        }
    }

    /**
     * {last text token of segment k, first text token of segment k + 1, k} for the first k where those
     * are two different tokens (not " ", id 220) that occur nowhere else in {@code t}; null when none do.
     */
    static int[] tokensAcrossSegments(Transcript t) {
        List<Integer> all = t.segments().stream().flatMap(s -> textTokens(s).stream()).map(Token::id).toList();
        for (int k = 0; k + 1 < t.segments().size(); k++) {
            List<Token> before = textTokens(t.segments().get(k));
            List<Token> after = textTokens(t.segments().get(k + 1));
            if (before.isEmpty() || after.isEmpty()) {
                continue;
            }
            int a = before.get(before.size() - 1).id();
            int b = after.get(0).id();
            if (a != b && a != 220 && b != 220 && all.indexOf(a) == all.lastIndexOf(a)
                    && all.indexOf(b) == all.lastIndexOf(b)) {
                return new int[] {a, b, k};
            }
        }
        return null;
    }

    static List<Token> textTokens(Segment s) {
        return s.tokens().stream().filter(x -> !x.special()).toList();
    }

    static List<byte[]> lines(byte[] file) {
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                out.add(Arrays.copyOfRange(file, from, i));
                from = i + 1;
            }
        }
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * The ids of the first two adjacent, different text tokens the fixture decodes (not " ", id 220)
     * within one segment; null when there are none.
     */
    static int[] adjacentTextTokens(Transcript t) {
        for (List<Token> text : t.segments().stream().map(Utf8TextTest::textTokens).toList()) {
            for (int i = 0; i + 1 < text.size(); i++) {
                int a = text.get(i).id();
                int b = text.get(i + 1).id();
                if (a != b && a != 220 && b != 220) {
                    return new int[] {a, b};
                }
            }
        }
        return null;
    }

    static byte[] textBytes(Segment s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        s.tokens().stream().filter(x -> !x.special()).forEach(x -> b.writeBytes(x.bytes()));
        return b.toByteArray();
    }

    private static int tail(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Utf8.incompleteTail(b, b.length);
    }

    @Test
    void wordsCarryTheirTokensTimes() {
        float[] audio = Arrays.copyOf(WavReader.read16kMono(TestData.JFK_WAV), 5 * 16_000);
        try (Whisper w = Whisper.load(CliParityTest.MODEL)) {
            Transcript timed = w.transcribe(audio, CliParityTest.PARAMS.toBuilder().tokenTimestamps(true).build());
            List<Word> words = timed.words();
            assertFalse(words.isEmpty(), timed.segments().toString());
            for (Word word : words) {
                assertTrue(word.startMs() >= 0 && word.startMs() <= word.endMs(), word.toString());
                assertTrue(word.probability() > 0 && word.probability() <= 1, word.toString());
                assertFalse(word.text().isBlank(), word.toString());
            }
            String joined = String.join(" ", words.stream().map(Word::text).toList());
            assertEquals(timed.text().replaceAll("\\s+", " "), joined);
            Transcript untimed = w.transcribe(audio, CliParityTest.PARAMS);
            assertTrue(untimed.words().stream().allMatch(x -> x.startMs() == -1 && x.endMs() == -1),
                    "no times unless asked for: " + untimed.words());
        }
    }
}
