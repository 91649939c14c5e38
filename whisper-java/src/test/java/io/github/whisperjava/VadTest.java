package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import io.github.whisperjava.models.ModelDownloader;
import io.github.whisperjava.models.ModelIntegrityException;
import io.github.whisperjava.models.ModelResolver;
import io.github.whisperjava.models.Settings;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Voice activity detection run by the library (whisper.cpp's whisper_full_with_state ignores
 * params.vad), with the genuine Silero v6.2.0 model on real speech: jfk.wav with silence inserted.
 */
class VadTest {
    static final Path SILERO = TestData.SHARED.resolve("models/for-tests-silero-v6.2.0-ggml.bin");
    static final VadOptions VAD = VadOptions.DEFAULTS.withModel(SILERO);
    static final int RATE = WavReader.SAMPLE_RATE;

    static Whisper whisper;
    static float[] jfk;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        whisper = Whisper.load(TestData.forTestsModel("tiny"));
        jfk = WavReader.read16kMono(TestData.JFK_WAV);
    }

    @AfterAll
    static void close() {
        whisper.close();
    }

    /** jfk.wav cut in its longest pause, with 5 s of silence before, between and after. */
    record Padded(float[] pcm, int splitSample, List<SpeechSpan> plain) {
        static final int SILENCE = 5 * RATE;

        static Padded of(List<SpeechSpan> plain) {
            int gap = 0;
            for (int i = 1; i < plain.size(); i++) {
                if (plain.get(i).startMs() - plain.get(i - 1).endMs()
                        > plain.get(gap + 1).startMs() - plain.get(gap).endMs()) {
                    gap = i - 1;
                }
            }
            long splitMs = (plain.get(gap).endMs() + plain.get(gap + 1).startMs()) / 2;
            int split = (int) (splitMs * RATE / 1000);
            float[] out = new float[3 * SILENCE + jfk.length];
            System.arraycopy(jfk, 0, out, SILENCE, split);
            System.arraycopy(jfk, split, out, 2 * SILENCE + split, jfk.length - split);
            return new Padded(out, split, plain);
        }

        /** Where each span of plain jfk.wav lies in the padded audio. */
        List<SpeechSpan> expected() {
            long splitMs = splitSample * 1000L / RATE;
            List<SpeechSpan> out = new ArrayList<>();
            for (SpeechSpan s : plain) {
                long shift = s.startMs() < splitMs ? 5000 : 10_000;
                out.add(new SpeechSpan(s.startMs() + shift, s.endMs() + shift));
            }
            return out;
        }

        /** The inserted silences, in ms. */
        long[][] silences() {
            long splitMs = splitSample * 1000L / RATE;
            long total = pcm.length * 1000L / RATE;
            return new long[][] {{0, 5000}, {5000 + splitMs, 10_000 + splitMs}, {total - 5000, total}};
        }
    }

    /**
     * whisper.cpp turns the minimum speech and silence into samples in a 32-bit int: past
     * {@link VadOptions#MAX_DURATION_MS} it overflows, and the spans found swung between one and four.
     * Such a value is refused; at the cap, a minimum silence longer than jfk.wav ends no span, as any
     * long one does.
     */
    @Test
    void minimumSpeechAndSilenceStayInsideWhisperCppsArithmetic() {
        int max = VadOptions.MAX_DURATION_MS;
        assertEquals(134_217, max);
        assertThrows(IllegalArgumentException.class, () -> new VadOptions(SILERO, 0.5f, 250, max + 1, 0f, 30, 0.1f));
        assertThrows(IllegalArgumentException.class, () -> new VadOptions(SILERO, 0.5f, max + 1, 100, 0f, 30, 0.1f));
        List<SpeechSpan> atCap = whisper.detectSpeech(jfk, new VadOptions(SILERO, 0.5f, 250, max, 0f, 30, 0.1f));
        List<SpeechSpan> minute = whisper.detectSpeech(jfk, new VadOptions(SILERO, 0.5f, 250, 60_000, 0f, 30, 0.1f));
        assertEquals(1, minute.size(), minute.toString());
        assertEquals(minute, atCap);
        assertTrue(whisper.detectSpeech(jfk, new VadOptions(SILERO, 0.5f, max, 100, 0f, 30, 0.1f)).isEmpty(),
                "no speech lasts 134 s in 11 s of audio");
    }

    @Test
    void findsJfksFourSpeechSpansAndTheSameOnesAroundInsertedSilence() {
        List<SpeechSpan> plain = whisper.detectSpeech(jfk, VAD);
        // whisper.cpp's own test of this model finds 4 speech segments in jfk.wav
        assertEquals(4, plain.size(), plain.toString());
        Padded padded = Padded.of(plain);
        List<SpeechSpan> found = whisper.detectSpeech(padded.pcm(), VAD);
        List<SpeechSpan> expected = padded.expected();
        assertEquals(expected.size(), found.size(), "expected " + expected + ", found " + found);
        for (int i = 0; i < found.size(); i++) {
            assertTrue(Math.abs(found.get(i).startMs() - expected.get(i).startMs()) <= 200
                    && Math.abs(found.get(i).endMs() - expected.get(i).endMs()) <= 200,
                    "span " + i + ": expected " + expected.get(i) + ", found " + found.get(i));
        }
        int pad = VAD.speechPadMs();
        for (long[] silence : padded.silences()) {
            for (SpeechSpan s : found) {
                long inside = Math.min(s.endMs(), silence[1]) - Math.max(s.startMs(), silence[0]);
                assertTrue(inside <= pad + 200, "span " + s + " reaches " + inside + " ms into the silence "
                        + silence[0] + ".." + silence[1]);
            }
        }
    }

    @Test
    void transcriptionWithVadMatchesWhisperCliWithVadIncludingItsTimes() throws Exception {
        // random weights decode deterministic text, so both paths must give the same segments, and whisper-cli
        // reports times mapped back to the padded file (whisper_full's VAD)
        Path model = TestData.fixture("tiny", "q5_1");
        Padded padded = Padded.of(whisper.detectSpeech(jfk, VAD));
        Path wav = tmp.resolve("jfk-padded.wav");
        writeWav(wav, padded.pcm());

        TranscribeParams params = TranscribeParams.builder().threads(2).temperatureIncrement(0).vad(VAD).build();
        Transcript ours;
        try (Whisper w = Whisper.load(model)) {
            ours = w.transcribe(wav, params);
        }
        List<String> cli = cliSegments(model, wav, "-nf", "--vad", "--vad-model", SILERO.toString());
        assertFalse(cli.isEmpty(), "whisper-cli printed no segment");
        System.out.println("whisper-cli --vad, " + cli.size() + " segments: " + cli);
        List<String> mine = ours.segments().stream().map(s -> format(s.startMs()) + " --> " + format(s.endMs()) + "|"
                + s.text().strip()).toList();
        assertEquals(cli, mine);
        assertEquals(padded.pcm().length * 1000L / RATE, ours.audioDurationMs());
        long firstSpeech = padded.expected().get(0).startMs() - VAD.speechPadMs() - 200;
        assertTrue(ours.segments().get(0).startMs() >= firstSpeech,
                "first segment at " + ours.segments().get(0).startMs() + " ms, in the leading silence");
    }

    @Test
    void silenceGivesAnEmptyTranscriptWithoutRunningWhisper() {
        AtomicInteger progress = new AtomicInteger();
        Transcript t = whisper.transcribe(new float[10 * RATE], TranscribeParams.builder().vad(VAD).build(),
                CallOptions.none().withListener(new TranscriptionListener() {
                    @Override
                    public void onProgress(int percent) {
                        progress.incrementAndGet();
                    }
                }));
        assertEquals(List.of(), t.segments());
        assertEquals(10_000, t.audioDurationMs());
        assertEquals(0, t.encoderPositions(), "the encoder ran");
        assertEquals(0, progress.get(), "whisper reported progress: it ran");
        assertEquals(0, t.timings().encodeMs());
        assertTrue(t.timings().vadMs() > 0, t.timings().toString());
        assertEquals(List.of(), whisper.detectSpeech(new float[RATE], VAD));
    }

    @Test
    void offsetOrDurationWithVadIsRefusedByTheBuilder() {
        assertThrows(IllegalArgumentException.class, () -> TranscribeParams.builder().vad(VAD).offsetMs(100).build());
    }

    @Test
    void aMissingVadModelIsAClearError() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> whisper.detectSpeech(jfk, VAD.withModel(tmp.resolve("nope.bin"))));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    /**
     * whisper.cpp's VAD loader trusts every field; a damaged file must be a ModelLoadException (or, when
     * only weights changed, a working model), never a crash. Seeded: truncations at every record
     * boundary and at random points, and random byte flips anywhere.
     */
    @Test
    void damagedVadModelsAreRefusedOrHarmless() throws Exception {
        byte[] good = Files.readAllBytes(SILERO);
        SplittableRandom rnd = new SplittableRandom(7);
        float[] second = Arrays.copyOf(jfk, RATE);
        int refused = 0;
        int ran = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int i = 0; i < 600 && System.nanoTime() < deadline; i++) {
            byte[] bad;
            if (i < 200) {
                bad = Arrays.copyOf(good, rnd.nextInt(good.length));
            } else {
                bad = good.clone();
                int flips = 1 + rnd.nextInt(4);
                // half the flips in the header and records, where the loader trusts what it reads
                for (int f = 0; f < flips; f++) {
                    int at = i % 2 == 0 ? rnd.nextInt(200) : rnd.nextInt(bad.length);
                    bad[at] = (byte) rnd.nextInt(256);
                }
            }
            Path file = Files.write(tmp.resolve("vad-" + i + ".bin"), bad);
            try {
                whisper.detectSpeech(second, VAD.withModel(file));
                ran++;
            } catch (ModelLoadException e) {
                refused++;
            } catch (WhisperException e) {
                refused++; // whisper.cpp's loader said no
            } finally {
                Files.delete(file);
            }
        }
        System.out.println("damaged VAD models: " + refused + " refused, " + ran + " ran");
        assertTrue(refused >= 200 && ran >= 50, "refused " + refused + ", ran " + ran);
    }

    /**
     * Every VAD context loads the bytes that were checked: a model file overwritten after the first
     * call (a half-written copy, say) must not reach whisper.cpp's loader, which trusts it.
     */
    @Test
    void contextsMadeLaterLoadWhatWasCheckedNotWhatThePathHoldsNow() throws Exception {
        Path file = Files.copy(SILERO, tmp.resolve("silero.bin"));
        VadOptions vad = VAD.withModel(file);
        float[] second = Arrays.copyOf(jfk, RATE);
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            List<SpeechSpan> before = w.detectSpeech(jfk, vad); // the detector, with one context
            Files.write(file, Arrays.copyOf(Files.readAllBytes(SILERO), 40)); // garbage header now
            var pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<SpeechSpan>>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) { // concurrent: the detector must make new contexts
                    calls.add(pool.submit(() -> w.detectSpeech(second, vad)));
                }
                for (var c : calls) {
                    c.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(before, w.detectSpeech(jfk, vad));
        }
    }

    @Test
    void theCatalogueVadModelIsFetchedFromAMirrorAndVerified() throws Exception {
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        Files.copy(SILERO, mirror.resolve("ggml-silero-v6.2.0.bin"));
        Path cache = tmp.resolve("cache");
        var resolver = new ModelResolver(Settings.of(
                Map.of("WHISPER_MODEL_BASE_URL", mirror.toUri().toString(), "WHISPER_MODELS_DIR",
                        cache.toString())), ModelDownloader.defaults());
        var resolved = resolver.resolveVad();
        assertEquals(cache.resolve("ggml-silero-v6.2.0.bin"), resolved.file());
        assertEquals(-1, Arrays.mismatch(Files.readAllBytes(SILERO), Files.readAllBytes(resolved.file())));
        assertTrue(resolver.catalog().sizes().stream().noneMatch(s -> s.startsWith("silero")),
                "a VAD model must not be offered as a whisper size");

        // offline, with the mirror gone: the verified copy in the cache is used
        Files.delete(mirror.resolve("ggml-silero-v6.2.0.bin"));
        var offline = new ModelResolver(Settings.of(
                Map.of("WHISPER_MODEL_BASE_URL", mirror.toUri().toString(), "WHISPER_MODELS_DIR",
                        cache.toString(), "WHISPER_OFFLINE", "1")), ModelDownloader.defaults());
        assertEquals(resolved.file(), offline.resolveVad().file());

        // v5.1.2's SHA-256 is pinned: other bytes under its name (here v6.2.0's) are refused, not cached
        Files.copy(SILERO, mirror.resolve("ggml-silero-v5.1.2.bin"));
        var v5 = new ModelResolver(Settings.of(
                Map.of("WHISPER_MODEL_BASE_URL", mirror.toUri().toString(), "WHISPER_MODELS_DIR",
                        cache.toString(), "WHISPER_VAD_MODEL_NAME", "silero-v5.1.2")),
                ModelDownloader.defaults());
        var refused = org.junit.jupiter.api.Assertions.assertThrows(
                ModelIntegrityException.class, v5::resolveVad);
        assertTrue(refused.getMessage().contains("ggml-silero-v5.1.2.bin"), refused.getMessage());
        assertTrue(Files.notExists(cache.resolve("ggml-silero-v5.1.2.bin")));
    }

    static String format(long ms) {
        return String.format("%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    /** whisper-cli's segments on stdout as "start --> end|text", decoding as TranscribeParams decodes. */
    static List<String> cliSegments(Path model, Path wav, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(TestData.whisperCli().toString(), "-m", model.toString(), "-f",
                wav.toString(), "-t", "2", "-bs", "1", "-bo", "5", "-l", "en", "-np"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> segments = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\[(\\S+) --> (\\S+)\\]  ?(.*)$").matcher(out);
        while (m.find()) {
            segments.add(m.group(1) + " --> " + m.group(2) + "|" + m.group(3).strip());
        }
        return segments;
    }

    static void writeWav(Path file, float[] pcm) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : pcm) {
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(f * 32768f))));
        }
        AudioFormat format = new AudioFormat(RATE, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(b.array()), format, pcm.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }
}
