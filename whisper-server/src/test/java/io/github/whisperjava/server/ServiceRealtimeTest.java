package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.SpeechSpan;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.audio.AudioDecoder;
import io.github.whisperjava.models.ModelResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Realtime transcription session over loopback, as OpenAI's protocol has it: jfk.wav split at a pause
 * between its halves, with 5 s of silence before, between and after, streamed as pcm16 at 24 kHz in
 * 100 ms appends, at real-time pace and as fast as the socket takes it. Server VAD runs on the genuine
 * Silero model; the spans it reports are held to those whisper-java's offline VAD finds in the same
 * audio with the same settings. (The weightless test model transcribes to no text: what is checked is the
 * events, their order and timing, not words.)
 */
class ServiceRealtimeTest {
    static final int RATE = 24_000;
    static final Duration WAIT = Duration.ofSeconds(120);
    static TranscriptionServer server;
    static Whisper offline;
    static short[] stream;
    static List<SpeechSpan> spans;

    @BeforeAll
    static void start() throws Exception {
        server = ServiceFixture.start(ServiceConfig.defaults().withConcurrency(2));
        offline = Whisper.load(ServiceFixture.TINY, ModelOptions.defaults().withConcurrency(1));
        Path vadModel = ModelResolver.fromEnvironment().resolveVad().file();
        float[] jfk = AudioDecoder.decode16kMono(ServiceFixture.SHARED.resolve("audio/jfk.wav"));
        // the session's Silero settings; speech_started and speech_stopped report where speech itself
        // begins and ends, so the offline spans are taken without padding
        VadOptions vad = RealtimeSettings.initial(true).vadOptions(VadOptions.DEFAULTS.withModel(vadModel)).withSpeechPadMs(0);

        // split in the middle of the pause nearest the middle of the clip
        List<SpeechSpan> own = offline.detectSpeech(jfk, vad);
        long middle = jfk.length / 32; // ms
        long split = middle;
        for (int i = 0; i + 1 < own.size(); i++) {
            long gap = (own.get(i).endMs() + own.get(i + 1).startMs()) / 2;
            if (Math.abs(gap - middle) < Math.abs(split - middle) || split == middle) {
                split = gap;
            }
        }
        int cut = (int) (split * 16);
        float[] at16k = new float[16_000 * 15 + jfk.length];
        System.arraycopy(jfk, 0, at16k, 16_000 * 5, cut);
        System.arraycopy(jfk, cut, at16k, 16_000 * 10 + cut, jfk.length - cut);
        spans = offline.detectSpeech(at16k, vad);
        assertTrue(spans.size() >= 2, "jfk's halves are speech to Silero: " + spans);
        stream = resample(at16k, RATE);
    }

    @AfterAll
    static void stop() {
        offline.close();
        server.close();
    }

    /** Linear interpolation to {@code rate}: the client's 24 kHz, which the server takes back to 16 kHz. */
    static short[] resample(float[] at16k, int rate) {
        int n = (int) ((long) at16k.length * rate / 16_000);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            double x = (double) i * 16_000 / rate;
            int a = (int) x;
            int b = Math.min(a + 1, at16k.length - 1);
            double v = at16k[a] + (at16k[b] - at16k[a]) * (x - a);
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v * 32767)));
        }
        return out;
    }

    /** Sends {@code pcm} in 100 ms appends, each at its time in the stream when {@code paced}. */
    static void send(RealtimeClient c, short[] pcm, int from, int to, boolean paced) throws InterruptedException {
        int chunk = RATE / 10;
        long start = System.nanoTime();
        for (int i = from; i < to; i += chunk) {
            if (paced) {
                long due = start + (long) (i - from) * 1_000_000_000L / RATE;
                long sleep = due - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            c.append(pcm, i, Math.min(to, i + chunk));
        }
    }

    @Test
    void atRealTimePace() throws Exception {
        streamAndCheck(true);
    }

    @Test
    void asFastAsPossible() throws Exception {
        streamAndCheck(false);
    }

    private void streamAndCheck(boolean paced) throws Exception {
        try (RealtimeClient c = RealtimeClient.connect(server)) {
            c.await("session.created", WAIT);
            c.send("{\"type\":\"session.update\",\"session\":{\"type\":\"transcription\",\"audio\":{\"input\":{"
                    + "\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},\"transcription\":{\"model\":\"whisper-1\",\"language\":\"en\"},"
                    + "\"turn_detection\":{\"type\":\"server_vad\",\"threshold\":0.5,\"prefix_padding_ms\":300,\"silence_duration_ms\":500}}}}}");
            int updated = c.await("session.updated", WAIT);
            JsonNode session = c.events().get(updated).json().get("session");
            assertEquals("en", session.at("/audio/input/transcription/language").asText(), session.toString());
            send(c, stream, 0, stream.length, paced);
            // every span's utterance completes: the 5 s of silence after the last ends it
            int last = spans.size() - 1;
            c.await(0, e -> e.type().equals("conversation.item.input_audio_transcription.completed")
                    && c.events().stream().filter(x -> x.type().equals("conversation.item.input_audio_transcription.completed"))
                            .count() == spans.size(), WAIT);
            List<RealtimeClient.Event> events = c.events();
            assertTrue(c.invalid().isEmpty(), "events OpenAI's SDK cannot read: " + c.invalid());
            checkOrderAndTiming(events, c.types());
            assertEquals(last + 1, events.stream().filter(e -> e.type().equals("input_audio_buffer.committed")).count());
        }
        awaitNoSessions();
    }

    /** Per item: started, stopped, committed, deltas, completed, in that order; spans within 200 ms of Silero's. */
    private static void checkOrderAndTiming(List<RealtimeClient.Event> events, List<String> types) {
        List<JsonNode> started = new ArrayList<>();
        List<JsonNode> stopped = new ArrayList<>();
        String previous = null;
        String open = null; // the item whose speech is running
        List<String> committed = new ArrayList<>();
        for (RealtimeClient.Event e : events) {
            JsonNode j = e.json();
            switch (e.type()) {
                case "input_audio_buffer.speech_started" -> {
                    assertEquals(null, open, "speech started twice without a stop: " + types);
                    open = j.get("item_id").asText();
                    started.add(j);
                }
                case "input_audio_buffer.speech_stopped" -> {
                    assertEquals(open, j.get("item_id").asText(), types.toString());
                    open = null;
                    stopped.add(j);
                }
                case "input_audio_buffer.committed" -> {
                    assertEquals(previous, j.get("previous_item_id").isNull() ? null : j.get("previous_item_id").asText());
                    previous = j.get("item_id").asText();
                    assertEquals(stopped.get(stopped.size() - 1).get("item_id").asText(), previous,
                            "committed after its speech stopped: " + types);
                    committed.add(previous);
                }
                case "conversation.item.input_audio_transcription.delta",
                        "conversation.item.input_audio_transcription.completed" ->
                    assertTrue(committed.contains(j.get("item_id").asText())
                            || j.get("item_id").asText().equals(open), "text for an item that exists: " + types);
                case "session.created", "session.updated" -> { }
                default -> throw new AssertionError("unexpected " + e.type() + ": " + j);
            }
        }
        assertEquals(spans.size(), started.size(), "one utterance per Silero span " + spans + ": " + types);
        for (int i = 0; i < spans.size(); i++) {
            long s = started.get(i).get("audio_start_ms").asLong();
            long t = stopped.get(i).get("audio_end_ms").asLong();
            assertTrue(Math.abs(s - spans.get(i).startMs()) <= 200, "start " + s + " vs Silero's " + spans.get(i));
            assertTrue(Math.abs(t - spans.get(i).endMs()) <= 200, "end " + t + " vs Silero's " + spans.get(i));
        }
    }

    @Test
    void withoutTurnDetectionOnlyCommitEndsAnUtterance() throws Exception {
        try (RealtimeClient c = RealtimeClient.connect(server)) {
            c.await("session.created", WAIT);
            c.send("{\"type\":\"session.update\",\"session\":{\"type\":\"transcription\",\"audio\":{\"input\":"
                    + "{\"turn_detection\":null}}}}");
            int updated = c.await("session.updated", WAIT);
            assertTrue(c.events().get(updated).json().at("/session/audio/input/turn_detection").isNull());
            send(c, stream, 0, stream.length, false);
            c.send("{\"type\":\"input_audio_buffer.commit\"}");
            int completed = c.await("conversation.item.input_audio_transcription.completed", WAIT);
            List<String> types = c.types();
            assertTrue(!types.contains("input_audio_buffer.speech_started"), types.toString());
            assertEquals(1, types.stream().filter("input_audio_buffer.committed"::equals).count(), types.toString());
            JsonNode done = c.events().get(completed).json();
            assertEquals(stream.length * 1000L / RATE, Math.round(done.at("/usage/seconds").asDouble() * 1000), 100.0,
                    "the one utterance is the whole stream: " + done);
            assertTrue(c.invalid().isEmpty(), c.invalid().toString());
        }
    }

    @Test
    void clientMistakesAreErrorEventsAndTheSessionGoesOn() throws Exception {
        try (RealtimeClient c = RealtimeClient.connect(server)) {
            c.await("session.created", WAIT);
            c.send("{\"type\":\"response.create\",\"event_id\":\"mine_1\"}");
            int e1 = c.await("error", WAIT);
            assertEquals("mine_1", c.events().get(e1).json().at("/error/event_id").asText());
            c.send("{\"type\":\"session.update\",\"session\":{\"type\":\"transcription\",\"audio\":{\"input\":"
                    + "{\"turn_detection\":{\"type\":\"semantic_vad\"}}}}}");
            int e2 = c.await(e1 + 1, e -> e.type().equals("error"), WAIT);
            assertEquals("session.audio.input.turn_detection.type", c.events().get(e2).json().at("/error/param").asText());
            c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"not base64!\"}");
            int e3 = c.await(e2 + 1, e -> e.type().equals("error"), WAIT);
            assertEquals("audio", c.events().get(e3).json().at("/error/param").asText());
            send(c, stream, 0, RATE, false);
            c.send("{\"type\":\"session.update\",\"session\":{\"type\":\"transcription\",\"audio\":{\"input\":"
                    + "{\"transcription\":{\"language\":\"de\"}}}}}");
            int e4 = c.await(e3 + 1, e -> e.type().equals("error"), WAIT);
            assertEquals("session", c.events().get(e4).json().at("/error/param").asText(), "settings are fixed once audio came");
            c.send("{\"type\":\"input_audio_buffer.clear\"}");
            c.await("input_audio_buffer.cleared", WAIT);
            assertTrue(c.invalid().isEmpty(), c.invalid().toString());
            assertTrue(!c.isClosed(), "the session went on");
        }
    }

    static void awaitNoSessions() throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (server.realtimeSessions() > 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(0, server.realtimeSessions(), "a closed session gives its place back");
    }

    @Test
    void aClientThatVanishesMidUtteranceFreesItsSessionAtOnce() throws Exception {
        RealtimeClient c = RealtimeClient.connect(server);
        c.await("session.created", WAIT);
        int speech = (int) (spans.get(0).startMs() * RATE / 1000);
        send(c, stream, 0, speech + RATE, false); // a second into the first utterance
        c.await("input_audio_buffer.speech_started", WAIT);
        assertEquals(1, server.realtimeSessions());
        long gone = System.nanoTime();
        c.vanish();
        awaitNoSessions();
        assertTrue(System.nanoTime() - gone < 2_000_000_000L, "freed within 2 s of the disconnect");
        // the model is still there for the next one
        try (RealtimeClient next = RealtimeClient.connect(server)) {
            int created = next.await("session.created", WAIT);
            assertNotNull(next.events().get(created));
        }
    }
}
