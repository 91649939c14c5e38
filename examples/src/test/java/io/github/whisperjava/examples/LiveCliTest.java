package io.github.whisperjava.examples;

import static io.github.whisperjava.examples.InProcessCli.JFK;
import static io.github.whisperjava.examples.InProcessCli.SHARED;
import static io.github.whisperjava.examples.InProcessCli.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.whisperjava.SpeechSpan;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.audio.Resampler;
import io.github.whisperjava.audio.WavReader;
import io.github.whisperjava.examples.InProcessCli.Result;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code live -} in this JVM, fed jfk.wav as raw PCM on stdin with silence before, between and after,
 * on the for-tests tiny model (real shapes, no weights: it decodes no text, so this checks the
 * utterances and their times, not what is said) and the genuine Silero VAD model.
 */
class LiveCliTest {
    static final Path SILERO = SHARED.resolve("models/for-tests-silero-v6.2.0-ggml.bin");
    static final Pattern FINAL = Pattern.compile("\\[(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3})\\](.*)");
    static final int RATE = 16_000;

    /** 1 s of silence, jfk.wav, 3 s of silence, jfk.wav, 2 s of silence, at 16 kHz. */
    static float[] stream;
    /** The speech the VAD finds in the whole stream at once, with whisper.cpp's defaults. */
    static List<SpeechSpan> speech;

    @BeforeAll
    static void audio() {
        float[] jfk = WavReader.read16kMono(JFK);
        stream = new float[6 * RATE + 2 * jfk.length];
        System.arraycopy(jfk, 0, stream, RATE, jfk.length);
        System.arraycopy(jfk, 0, stream, 4 * RATE + jfk.length, jfk.length);
        try (Whisper w = Whisper.load(TINY)) {
            speech = w.detectSpeech(stream, VadOptions.DEFAULTS.withModel(SILERO));
        }
        assertTrue(speech.size() >= 2, "jfk.wav twice holds speech twice: " + speech);
    }

    static Result live(byte[] stdin, String... flags) {
        List<String> args = new ArrayList<>(List.of("live", "-", "-m", TINY.toString(), "-t", "1", "-vm", SILERO.toString()));
        args.addAll(List.of(flags));
        return run(stdin, args.toArray(String[]::new));
    }

    static Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TranscribeCli.run(args, new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static byte[] s16le(float[] pcm) {
        ByteBuffer b = ByteBuffer.allocate(2 * pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : pcm) {
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(f * 32768))));
        }
        return b.array();
    }

    /** Each stdout line as {start, end} in milliseconds; every line must be a final. */
    static List<long[]> finals(String out) {
        List<long[]> times = new ArrayList<>();
        for (String line : out.lines().toList()) {
            Matcher m = FINAL.matcher(line);
            assertTrue(m.matches(), "not a final: '" + line + "' in\n" + out);
            times.add(new long[] {ms(m, 1), ms(m, 5)});
        }
        return times;
    }

    private static long ms(Matcher m, int group) {
        return Long.parseLong(m.group(group)) * 3_600_000 + Long.parseLong(m.group(group + 1)) * 60_000
                + Long.parseLong(m.group(group + 2)) * 1000 + Long.parseLong(m.group(group + 3));
    }

    @Test
    void eachUtteranceTheVadFindsIsOneFinalLineWithItsTimes() {
        Result r = live(s16le(stream));
        assertEquals(0, r.exit(), r.err());
        List<long[]> finals = finals(r.out());
        assertEquals(speech.size(), finals.size(), "VAD of the whole stream: " + speech + "; stdout:\n" + r.out());
        long padMs = VadOptions.DEFAULTS.speechPadMs();
        for (int i = 0; i < finals.size(); i++) {
            long[] f = finals.get(i);
            SpeechSpan s = speech.get(i);
            assertTrue(f[0] < f[1], "final " + i + " ends after it starts: " + r.out());
            assertTrue(i == 0 || finals.get(i - 1)[1] <= f[0], "finals in stream order: " + r.out());
            // the library's own test allows 200 ms between live and whole-stream VAD; a final's audio also
            // keeps the speech pad on each side
            assertTrue(Math.abs(f[0] - s.startMs()) <= 200 + padMs && Math.abs(f[1] - s.endMs()) <= 200 + padMs,
                    "final " + i + " " + f[0] + ".." + f[1] + " vs VAD " + s + "\n" + r.out());
        }
    }

    @Test
    void fortyEightKilohertzWithItsRateGivesTheSameUtterances() {
        Result at16k = live(s16le(stream));
        Result at48k = live(s16le(Resampler.resample(stream, RATE, 48_000)), "--rate", "48000");
        assertEquals(0, at48k.exit(), at48k.err());
        List<long[]> a = finals(at16k.out());
        List<long[]> b = finals(at48k.out());
        assertEquals(a.size(), b.size(), at16k.out() + " vs\n" + at48k.out());
        for (int i = 0; i < a.size(); i++) {
            assertTrue(Math.abs(a.get(i)[0] - b.get(i)[0]) <= 100 && Math.abs(a.get(i)[1] - b.get(i)[1]) <= 100,
                    "utterance " + i + ": " + at16k.out() + " vs\n" + at48k.out());
        }
    }

    @Test
    void floatSamplesGiveAJsonEventLinePerEventAndAFinalPerUtterance() {
        ByteBuffer b = ByteBuffer.allocate(4 * stream.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : stream) {
            b.putFloat(f);
        }
        Result f32 = live(b.array(), "--format", "f32le", "--json", "--no-partials");
        assertEquals(0, f32.exit(), f32.err());
        ObjectMapper json = new ObjectMapper();
        List<String> order = new ArrayList<>();
        int finals = 0;
        for (String line : f32.out().lines().toList()) {
            JsonNode e = assertDoesNotThrowParse(json, line);
            order.add(e.get("event").asText() + " " + e.get("utterance").asInt());
            if (e.get("event").asText().equals("final")) {
                assertEquals(finals++, e.get("utterance").asInt(), f32.out());
            }
        }
        assertEquals(speech.size(), finals, f32.out());
        assertTrue(order.indexOf("speech_started 0") < order.indexOf("committed 0")
                && order.indexOf("committed 0") < order.indexOf("final 0"), "event order: " + order);
    }

    private static JsonNode assertDoesNotThrowParse(ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not one JSON object: " + line, e);
        }
    }

    @Test
    void aRateOfZeroIsAUsageErrorBeforeAnyModelLoads() {
        Result r = live(new byte[0], "--rate", "0");
        assertEquals(TranscribeCli.USAGE_ERROR, r.exit(), r.err());
        assertTrue(r.err().startsWith("transcribe: ") && r.err().contains("sampleRate"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aNaNSampleIsOneErrorLineAndExitOne() {
        ByteBuffer b = ByteBuffer.allocate(4 * RATE).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(4 * 100, Float.NaN);
        Result r = live(b.array(), "--format", "f32le");
        assertEquals(TranscribeCli.FAILED, r.exit(), r.err());
        assertTrue(r.err().contains("transcribe: live: reading - failed: ") && r.err().contains("finite"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void aMissingModelFailsAsTheOtherCommandsSayIt() {
        Result r = run(new byte[0], "live", "-", "-m", SHARED.resolve("models/absent.bin").toString());
        assertEquals(TranscribeCli.FAILED, r.exit(), r.err());
        assertTrue(r.err().startsWith("transcribe: ") && r.err().contains("absent.bin"), r.err());
    }
}
