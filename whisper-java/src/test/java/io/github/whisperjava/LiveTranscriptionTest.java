package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.Resampler;
import io.github.whisperjava.audio.WavReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live transcription on real libwhisper with the genuine Silero model: jfk.wav with 5 s of silence before,
 * between its halves and after (VadTest.Padded), fed in 100 ms chunks. The for-tests tiny model (real
 * shapes, no weights: it decodes no text, fast) serves the tests of timing and lifecycle; the random-weights
 * fixture, which decodes deterministic text, the tests of what finals and partials say.
 */
class LiveTranscriptionTest {
    static final int CHUNK = 1_600; // 100 ms
    static final LiveOptions LIVE = LiveOptions.DEFAULTS.withVad(VadTest.VAD);
    /**
     * For the fixture: one temperature (its noise fails every fall-back check, and each fall-back decodes
     * it again) and the full window (its noise is degenerate in a fitted one, which then runs twice).
     */
    static final TranscribeParams ONCE = TranscribeParams.builder().temperatureIncrement(0f).build();

    static Whisper model;
    static Whisper fixture;
    static VadTest.Padded padded;

    @BeforeAll
    static void load() {
        model = Whisper.load(TestData.forTestsModel("tiny"), ModelOptions.defaults().withConcurrency(2));
        fixture = Whisper.load(TestData.fixture("tiny", "q5_1"), ModelOptions.defaults().withConcurrency(2));
        float[] jfk = WavReader.read16kMono(TestData.JFK_WAV);
        VadTest.jfk = jfk;
        padded = VadTest.Padded.of(fixture.detectSpeech(jfk, VadTest.VAD));
    }

    @AfterAll
    static void close() {
        model.close();
        fixture.close();
    }

    /** Every event as a line, in the order the listener got them; finals and partials kept whole. */
    static class Recorder implements LiveListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<LiveUtterance> finals = Collections.synchronizedList(new ArrayList<>());
        final List<LivePartial> partials = Collections.synchronizedList(new ArrayList<>());
        final List<WhisperException> errors = Collections.synchronizedList(new ArrayList<>());
        final List<long[]> speech = Collections.synchronizedList(new ArrayList<>()); // {utterance, start, end}

        @Override
        public void onSpeechStarted(int u, long ms) {
            events.add("started " + u);
            speech.add(new long[] {u, ms, -1});
        }

        @Override
        public void onPartial(LivePartial p) {
            events.add("partial " + p.utterance());
            partials.add(p);
        }

        @Override
        public void onSpeechStopped(int u, long ms) {
            events.add("stopped " + u);
            speech.get(speech.size() - 1)[2] = ms;
        }

        @Override
        public void onCommitted(int u, long startMs, long endMs) {
            events.add("committed " + u);
        }

        @Override
        public void onFinal(LiveUtterance u) {
            events.add("final " + u.utterance());
            finals.add(u);
        }

        @Override
        public void onError(WhisperException e) {
            events.add("error " + e.getMessage());
            errors.add(e);
        }
    }

    static void feed(LiveTranscription live, float[] pcm, boolean realTime) throws InterruptedException {
        long t0 = System.nanoTime();
        for (int at = 0; at < pcm.length; at += CHUNK) {
            live.accept(pcm, at, Math.min(CHUNK, pcm.length - at));
            if (realTime) {
                long due = t0 + TimeUnit.MILLISECONDS.toNanos((at + CHUNK) / 16);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        }
    }

    @Test
    void eachFinalIsTranscribeOfItsAudioTokenByToken() throws Exception {
        TranscribeParams params = ONCE;
        Recorder r = new Recorder();
        try (LiveTranscription live = fixture.live(LIVE.withParams(params).withPartialInterval(Duration.ZERO), r)) {
            feed(live, padded.pcm(), false);
        }
        assertTrue(r.errors.isEmpty(), r.errors.toString());
        assertTrue(r.finals.size() >= 2, "jfk's halves are 5 s apart: at least two utterances, got " + r.events);
        assertTrue(r.finals.stream().anyMatch(u -> !u.transcript().segments().isEmpty()), "the fixture decodes text");
        for (LiveUtterance u : r.finals) {
            float[] audio = Arrays.copyOfRange(padded.pcm(), (int) u.startMs() * 16, (int) u.endMs() * 16);
            Transcript alone = fixture.transcribe(audio, params);
            assertEquals(alone.segments().size(), u.transcript().segments().size(), "utterance " + u.utterance());
            for (int s = 0; s < alone.segments().size(); s++) {
                Segment a = alone.segments().get(s);
                Segment b = u.transcript().segments().get(s);
                assertEquals(a.text(), b.text());
                assertEquals(a.startMs() + u.startMs(), b.startMs(), "segment times move by the utterance's start");
                assertEquals(a.endMs() + u.startMs(), b.endMs());
                assertEquals(a.tokens().stream().map(Token::id).toList(), b.tokens().stream().map(Token::id).toList());
                for (int t = 0; t < a.tokens().size(); t++) {
                    assertEquals(a.tokens().get(t).startMs() + u.startMs(), b.tokens().get(t).startMs());
                }
            }
        }
    }

    @Test
    void speechStartsAndStopsWhereTheVadOfTheWholeAudioFindsIt() throws Exception {
        List<SpeechSpan> whole = model.detectSpeech(padded.pcm(), VadTest.VAD);
        for (boolean realTime : new boolean[] {false, true}) {
            Recorder r = new Recorder();
            try (LiveTranscription live = model.live(LIVE.withPartialInterval(Duration.ofMillis(500)), r)) {
                feed(live, padded.pcm(), realTime);
            }
            assertEquals(whole.size(), r.speech.size(), "speech spans, real time " + realTime + ": " + r.events);
            for (int i = 0; i < whole.size(); i++) {
                long[] s = r.speech.get(i);
                assertTrue(Math.abs(s[1] - whole.get(i).startMs()) <= 200, "start " + s[1] + " vs " + whole.get(i));
                assertTrue(Math.abs(s[2] - whole.get(i).endMs()) <= 200, "end " + s[2] + " vs " + whole.get(i));
            }
            assertInOrder(r);
        }
    }

    /** Per utterance: started, partials, stopped, committed, final; utterances numbered 0, 1, 2, ... */
    static void assertInOrder(Recorder r) {
        List<String> order = List.of("started", "partial", "stopped", "committed", "final");
        int[] stage = new int[r.events.size() + 1];
        Arrays.fill(stage, -1);
        int utterances = 0;
        for (String e : r.events) {
            String[] p = e.split(" ");
            int u = Integer.parseInt(p[1]);
            int k = order.indexOf(p[0]);
            assertTrue(k >= 0, e);
            if (k == 0) {
                assertEquals(utterances++, u, "utterances are numbered in order: " + r.events);
            }
            assertTrue(stage[u] <= k, "utterance " + u + ": " + e + " after " + order.get(Math.max(0, stage[u]))
                    + " in " + r.events);
            stage[u] = k;
        }
        for (int u = 0; u < utterances; u++) {
            assertEquals(4, stage[u], "utterance " + u + " got its final: " + r.events);
        }
    }

    @Test
    void partialsKeepWhatTwoDecodesAgreedOn() throws Exception {
        float[] clip = new float[16_000 + 16 * 4_000 + 16_000]; // jfk's first 4 s, 1 s of silence each side
        System.arraycopy(VadTest.jfk, 0, clip, 16_000, 16 * 4_000);
        Recorder r = new Recorder();
        try (LiveTranscription live = fixture.live(LIVE.withParams(ONCE).withPartialInterval(Duration.ofMillis(300)), r)) {
            // a session that keeps up: whenever a partial is due, the next audio waits for it (how fast the
            // fixture decodes on a loaded machine must not decide how many partials there are)
            long late = 0; // time spent waiting for partials: the pace goes on from there
            long t0 = System.nanoTime();
            for (int at = 0; at < clip.length; at += CHUNK) {
                live.accept(clip, at, Math.min(CHUNK, clip.length - at));
                long fedMs = (at + CHUNK) / 16L;
                long waitStart = System.nanoTime();
                long pace = t0 + late + TimeUnit.MILLISECONDS.toNanos(fedMs) - waitStart;
                if (pace > 0) {
                    TimeUnit.NANOSECONDS.sleep(pace);
                }
                waitStart = System.nanoTime();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline) {
                    long[] open;
                    synchronized (r.speech) {
                        open = r.speech.isEmpty() ? null : r.speech.get(r.speech.size() - 1);
                    }
                    if (open == null || open[2] >= 0) {
                        break; // no utterance open
                    }
                    long since = r.partials.stream().filter(p -> p.utterance() == open[0]).mapToLong(LivePartial::endMs)
                            .max().orElse(open[1]);
                    if (fedMs - since < 300 + 2 * 32 + 100) { // interval, VAD windows, this chunk
                        break;
                    }
                    Thread.sleep(10);
                }
                late += System.nanoTime() - waitStart;
            }
        }
        assertTrue(r.partials.size() >= 2, "partials at real-time pace: " + r.events);
        assertTrue(r.partials.stream().anyMatch(p -> !p.text().isEmpty()), "the fixture decodes text: " + r.partials);
        for (LivePartial p : r.partials) {
            assertEquals(p.text().strip(), p.text(), "no leading or trailing space, as a final's text(): " + p);
        }
        for (int i = 1; i < r.partials.size(); i++) {
            LivePartial a = r.partials.get(i - 1);
            LivePartial b = r.partials.get(i);
            if (a.utterance() == b.utterance()) {
                assertTrue(b.stableText().startsWith(a.stableText()), a + " then " + b);
                assertEquals(a.startMs(), b.startMs());
                assertTrue(b.endMs() > a.endMs());
            }
        }
    }

    @Test
    void otherRatesAndSampleFormatsAreHeardAlike() throws Exception {
        Recorder at16k = new Recorder();
        try (LiveTranscription live = model.live(LIVE.withPartialInterval(Duration.ZERO), at16k)) {
            feed(live, padded.pcm(), false);
        }
        float[] at48k = Resampler.resample(padded.pcm(), 16_000, 48_000);
        short[] pcm16 = new short[at48k.length];
        byte[] bytes = new byte[2 * at48k.length];
        for (int i = 0; i < pcm16.length; i++) {
            pcm16[i] = (short) Math.max(-32768, Math.min(32767, Math.round(at48k[i] * 32768)));
            bytes[2 * i] = (byte) pcm16[i];
            bytes[2 * i + 1] = (byte) (pcm16[i] >> 8);
        }
        Recorder shorts = new Recorder();
        try (LiveTranscription live = model.live(LIVE.withPartialInterval(Duration.ZERO).withSampleRate(48_000), shorts)) {
            for (int at = 0; at < pcm16.length; at += 4_800) {
                live.accept(pcm16, at, Math.min(4_800, pcm16.length - at));
            }
            assertEquals(padded.pcm().length / 16, live.positionMs(), 1);
        }
        Recorder byteRecorder = new Recorder();
        try (LiveTranscription live = model.live(LIVE.withPartialInterval(Duration.ZERO).withSampleRate(48_000), byteRecorder)) {
            for (int at = 0; at < bytes.length; at += 9_601) { // odd: samples split between two calls
                live.acceptPcm16(bytes, at, Math.min(9_601, bytes.length - at));
            }
        }
        assertEquals(events(shorts), events(byteRecorder), "bytes and shorts are the same audio");
        assertEquals(at16k.speech.size(), shorts.speech.size(), at16k.events + " vs " + shorts.events);
        for (int i = 0; i < at16k.speech.size(); i++) {
            assertTrue(Math.abs(at16k.speech.get(i)[1] - shorts.speech.get(i)[1]) <= 100);
            assertTrue(Math.abs(at16k.speech.get(i)[2] - shorts.speech.get(i)[2]) <= 100);
        }
    }

    /** The events but finals, whose place among the next utterance's events depends on timing, then the finals. */
    static List<String> events(Recorder r) {
        List<String> out = new ArrayList<>(r.events.stream().filter(e -> !e.startsWith("final")).toList());
        r.speech.forEach(s -> out.add(s[0] + ":" + s[1] + "-" + s[2]));
        r.finals.forEach(f -> out.add(f.utterance() + ":" + f.text()));
        return out;
    }

    @Test
    void withoutVadOnlyCommitEndsAnUtterance() throws Exception {
        Recorder r = new Recorder();
        float[] jfk = VadTest.jfk;
        TranscribeParams params = TranscribeParams.DEFAULTS;
        try (LiveTranscription live = model.live(LIVE.withParams(params).withVad(null).withPartialInterval(Duration.ZERO), r)) {
            feed(live, jfk, false);
            live.commit();
            live.commit(); // nothing new: no second utterance
            feed(live, jfk, false);
        }
        assertEquals(List.of("committed 0", "final 0", "committed 1", "final 1"),
                r.events.stream().sorted(Comparator.comparing((String e) -> e.split(" ")[1])).toList(),
                "two utterances, each committed then final: " + r.events);
        Transcript alone = model.transcribe(jfk, params);
        assertEquals(jfk.length / 16, r.finals.get(0).endMs());
        assertEquals(alone.text(), r.finals.get(0).text());
        assertEquals(jfk.length / 16, r.finals.get(1).startMs());
    }

    @Test
    void anUtteranceLongerThanTheLimitIsCutAndGoesOn() throws Exception {
        Recorder r = new Recorder();
        float[] noPause = TestData.repeat(VadTest.jfk, 3); // 33 s, its pauses short of 100 ms of silence mostly
        try (LiveTranscription live = model.live(LIVE.withVad(VadTest.VAD.withMinSilenceMs(2_000))
                .withPartialInterval(Duration.ZERO).withMaxUtterance(Duration.ofSeconds(8)), r)) {
            feed(live, noPause, false);
        }
        assertTrue(r.finals.size() >= 4, r.events.toString());
        for (LiveUtterance u : r.finals) {
            assertTrue(u.endMs() - u.startMs() <= 8_000 + 30, u.startMs() + ".." + u.endMs());
        }
        for (int i = 1; i < r.finals.size(); i++) {
            assertTrue(r.finals.get(i).startMs() >= r.finals.get(i - 1).endMs(), "utterances do not overlap");
        }
        assertInOrder(r);
    }

    @Test
    void audioPastTheBufferCapIsRefusedWithAnErrorNotDropped() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Whisper one = Whisper.load(TestData.forTestsModel("tiny"), ModelOptions.defaults().withConcurrency(1))) {
            TestData.HeldCall busy = TestData.hold(pool, one, VadTest.jfk, TranscribeParams.DEFAULTS);
            Recorder r = new Recorder();
            LiveOptions tight = LIVE.withPartialInterval(Duration.ZERO).withMaxUtterance(Duration.ofSeconds(2))
                    .withMaxBuffered(Duration.ofSeconds(4));
            long refused;
            try (LiveTranscription live = one.live(tight, r)) {
                feed(live, padded.pcm(), false);
                Thread.sleep(500);
                refused = r.errors.stream().mapToLong(e -> ((LiveBufferFullException) e).refusedMs()).sum();
                assertFalse(r.errors.isEmpty(), "the only state is held: audio past 4 s must be refused: " + r.events);
                assertEquals(padded.pcm().length / 16, live.positionMs() + refused, 2,
                        "every millisecond is either accepted or refused with an error");
                busy.release();
            }
            busy.result.get(120, TimeUnit.SECONDS);
            assertFalse(r.finals.isEmpty(), "once the state is free, the utterances held get their finals: " + r.events);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void abortEndsAtOnceAndFreesTheState() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Recorder r = new Recorder() {
            @Override
            public void onCommitted(int u, long startMs, long endMs) {
                super.onCommitted(u, startMs, endMs);
                started.countDown();
            }
        };
        LiveTranscription live = fixture.live(LIVE.withParams(ONCE).withVad(null), r);
        feed(live, TestData.repeat(VadTest.jfk, 2), false);
        live.commit();
        assertTrue(started.await(30, TimeUnit.SECONDS));
        Thread.sleep(100); // the final's decode is under way now (22 s of audio)
        long t0 = System.nanoTime();
        live.abort();
        assertFalse(live.closeWithin(Duration.ofSeconds(10)), "an aborted session did not deliver every final");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 5_000, "abort took " + ms + " ms");
        assertTrue(live.isClosed());
        assertEquals(0, fixture.runningCalls(), "the aborted decode gave its state back");
        assertTrue(r.events.contains("committed 0"), r.events.toString());
        assertThrows(IllegalStateException.class, () -> live.accept(new float[16]));
        assertThrows(IllegalStateException.class, live::commit);
        live.close(); // idempotent
        assertFalse(r.events.contains("final 0"), "no event after abort: " + r.events);
    }

    @Test
    void closingTheModelAbortsItsSessions() throws Exception {
        Whisper w = Whisper.load(TestData.forTestsModel("tiny"));
        LiveTranscription live = w.live(LIVE, new Recorder());
        live.accept(new float[16_000]);
        w.close();
        assertTrue(live.isClosed());
        assertThrows(IllegalStateException.class, () -> live.accept(new float[16]));
        assertThrows(IllegalStateException.class, () -> w.live(LIVE, new Recorder()));
    }

    @Test
    void sessionsShareTheModelWithEachOtherAndWithBatchCalls() throws Exception {
        int n = 4;
        List<Recorder> recorders = new ArrayList<>();
        List<Thread> feeders = new ArrayList<>();
        List<LiveTranscription> sessions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Recorder r = new Recorder();
            LiveTranscription live = model.live(LIVE, r);
            recorders.add(r);
            sessions.add(live);
            Thread t = new Thread(() -> {
                try {
                    feed(live, padded.pcm(), true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            feeders.add(t);
            t.start();
        }
        // a batch call while 4 sessions stream on a model of 2 states: it waits its turn, it is not starved
        ExecutorService batch = Executors.newSingleThreadExecutor();
        Future<Transcript> call = batch.submit(() -> model.transcribe(TestData.repeat(VadTest.jfk, 2)));
        try {
            assertEquals(22_000, call.get(120, TimeUnit.SECONDS).audioDurationMs(), 10);
        } finally {
            batch.shutdownNow();
        }
        for (int i = 0; i < n; i++) {
            feeders.get(i).join();
            sessions.get(i).close();
        }
        for (Recorder r : recorders) {
            assertTrue(r.errors.isEmpty(), r.errors.toString());
            assertInOrder(r);
            assertEquals(recorders.get(0).finals.size(), r.finals.size());
        }
    }
}
