package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.audio.AudioDecoder;
import io.github.whisperjava.fixtures.ModelFixture;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streamed text itself: the other streaming tests run the weightless for-tests model, which decodes
 * no text, so no delta there ever carries any. Here the service runs the library's seeded random-weights
 * tiny model (ModelFixture, as whisper-java's own tests use it): what it decodes is deterministic noise,
 * never speech, but it is text, so the deltas can be held to adding up to the final text.
 *
 * <p>Not checked: that a Realtime item's transcript equals {@code Whisper.transcribe} of the utterance's
 * samples. On this fixture the library's own answer for those samples depends on what the whisper state
 * decoded before (the same samples and params gave one text on a fresh state and another on the next
 * call), so no decode outside the server can stand for the one inside it.
 *
 * <p>The service always decodes with temperature fall-back (increment 0.2); the noise fails every
 * fall-back check, so each window decodes up to six times. The audio is kept short for that: jfk's
 * first 4 s over HTTP; its 11 s over Realtime, where the partials are the cost.
 */
class ServiceTextDeltasTest {
    static final Duration WAIT = Duration.ofSeconds(300);
    static final Path FIXTURE = ModelFixture.generateUnchecked("tiny", "q5_1",
            Paths.get(System.getProperty("whisper.fixtures.dir", "target/fixtures")), ServiceFixture.SHARED.resolve("models"),
            Paths.get(System.getProperty("whisper.cpp.bin", "../whisper-jni/target/cmake/whisper.cpp/bin")), 42);
    static TranscriptionServer server;
    static float[] jfk;

    @BeforeAll
    static void start() throws Exception {
        Whisper w = Whisper.load(FIXTURE, ModelOptions.defaults().withConcurrency(2));
        server = TranscriptionServer.listen(ServiceConfig.defaults().withConcurrency(2), "127.0.0.1", 0).serve(w);
        jfk = AudioDecoder.decode16kMono(ServiceFixture.SHARED.resolve("audio/jfk.wav"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static short[] pcm16(float[] samples) {
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767)));
        }
        return out;
    }

    static byte[] wav(short[] pcm) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * pcm.length).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(2 * pcm.length);
        for (short s : pcm) {
            b.putShort(s);
        }
        return b.array();
    }

    @Test
    void sseDeltasAddUpToTheDoneTextAndToTheUnstreamedText() throws Exception {
        // jfk's first 4 s: one window, and fall-back decodes of it are seconds, not minutes
        byte[] upload = wav(pcm16(Arrays.copyOf(jfk, 4 * 16_000)));
        HttpResponse<String> r = ServiceFixture.postForm(server, "/v1/audio/transcriptions", upload,
                "model", "whisper-1", "language", "en", "temperature", "0", "stream", "true");
        assertEquals(200, r.statusCode(), r.body());
        StringBuilder deltas = new StringBuilder();
        int withText = 0;
        String done = null;
        for (String event : r.body().split("\n\n")) {
            assertTrue(event.startsWith("data: "), event);
            JsonNode json = Replies.JSON.readTree(event.substring("data: ".length()));
            assertEquals(null, done, "nothing after done: " + r.body());
            switch (json.get("type").asText()) {
                case "transcript.text.delta" -> {
                    String d = json.get("delta").asText();
                    deltas.append(d);
                    withText += d.isBlank() ? 0 : 1;
                }
                case "transcript.text.done" -> done = json.get("text").asText();
                default -> throw new AssertionError("unexpected event " + event);
            }
        }
        assertTrue(done != null, "a done event: " + r.body());
        assertTrue(withText > 0, "the fixture decodes text, so a delta carries some: " + r.body());
        // exactly, not after trimming: a client shows the deltas as they come and the done text at the end
        assertEquals(done, deltas.toString(), "the deltas add up to the whole text");

        HttpResponse<String> whole = ServiceFixture.postForm(server, "/v1/audio/transcriptions", upload,
                "model", "whisper-1", "language", "en", "temperature", "0");
        assertEquals(200, whole.statusCode(), whole.body());
        assertEquals(Replies.JSON.readTree(whole.body()).get("text").asText(), done,
                "streaming changes how the text arrives, not the text");
    }

    @Test
    void realtimeDeltasBeginEachItemsTranscript() throws Exception {
        // jfk.wav with silence before and after, and a silence_duration_ms above its pauses: one utterance
        // long enough for several partials. Sent at 16 kHz, a rate the service takes as is, so each
        // utterance's span in these samples is known to the sample
        int rate = 16_000;
        float[] audio = new float[rate * 2 + jfk.length + rate * 3];
        System.arraycopy(jfk, 0, audio, rate * 2, jfk.length);
        short[] pcm = pcm16(audio);
        int padMs = 300;
        List<RealtimeClient.Event> events;
        try (RealtimeClient c = RealtimeClient.connect(server)) {
            c.await("session.created", WAIT);
            c.send("{\"type\":\"session.update\",\"session\":{\"type\":\"transcription\",\"audio\":{\"input\":{"
                    + "\"format\":{\"type\":\"audio/pcm\",\"rate\":" + rate + "},\"transcription\":{\"model\":\"whisper-1\",\"language\":\"en\"},"
                    + "\"turn_detection\":{\"type\":\"server_vad\",\"threshold\":0.5,\"prefix_padding_ms\":" + padMs
                    + ",\"silence_duration_ms\":1000}}}}}");
            c.await("session.updated", WAIT);
            // at real-time pace, so that partials (one a second of new speech) are decoded while it is spoken
            int chunk = rate / 10;
            long t0 = System.nanoTime();
            for (int i = 0; i < pcm.length; i += chunk) {
                long sleep = t0 + (long) i * 1_000_000_000L / rate - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
                c.append(pcm, i, Math.min(pcm.length, i + chunk));
            }
            // the trailing silence ends the utterance; the session ends only once each committed item completed
            int committed = c.await("input_audio_buffer.committed", WAIT);
            c.await(committed, e -> e.type().equals("conversation.item.input_audio_transcription.completed")
                    && completedAll(c.events()), WAIT);
            events = c.events();
            // OpenAI's SDK knows only its 24 kHz: the session's 16 kHz is this service's own, the rest is OpenAI's
            List<String> invalid = c.invalid().stream().filter(s -> !s.endsWith("Unknown Rate: " + rate)).toList();
            assertTrue(invalid.isEmpty(), "events OpenAI's SDK cannot read: " + invalid);
        }

        Map<String, long[]> speech = new LinkedHashMap<>(); // item: start, end as speech_started/stopped report them
        Map<String, StringBuilder> deltas = new LinkedHashMap<>();
        Map<String, JsonNode> completed = new LinkedHashMap<>();
        for (RealtimeClient.Event e : events) {
            JsonNode j = e.json();
            String item = j.path("item_id").asText();
            switch (e.type()) {
                case "input_audio_buffer.speech_started" -> speech.put(item, new long[] {j.get("audio_start_ms").asLong(), -1});
                case "input_audio_buffer.speech_stopped" -> speech.get(item)[1] = j.get("audio_end_ms").asLong();
                case "conversation.item.input_audio_transcription.delta" -> {
                    assertFalse(completed.containsKey(item), "no delta after completed: " + item);
                    deltas.computeIfAbsent(item, k -> new StringBuilder()).append(j.get("delta").asText());
                }
                case "conversation.item.input_audio_transcription.completed" -> completed.put(item, j);
                default -> { }
            }
        }
        assertFalse(completed.isEmpty(), "jfk's words are speech to Silero: " + events);
        assertEquals(speech.keySet(), completed.keySet(), "each utterance completes");

        long previousEnd = 0;
        int withText = 0;
        for (Map.Entry<String, JsonNode> e : completed.entrySet()) {
            String transcript = e.getValue().get("transcript").asText();
            String sent = deltas.getOrDefault(e.getKey(), new StringBuilder()).toString();
            assertTrue(transcript.startsWith(sent), "the deltas [" + sent + "] begin the transcript [" + transcript + "]");
            withText += sent.isBlank() ? 0 : 1;

            // the utterance decoded is its speech with server_vad's prefix padding either side, not reaching
            // back into the one before (LiveWorker): the usage the service reports is held to that span
            long[] s = speech.get(e.getKey());
            long from = Math.max(previousEnd, s[0] - padMs);
            long to = Math.min(s[1] + padMs, pcm.length * 1000L / rate);
            previousEnd = to;
            assertEquals((to - from) / 1000.0, e.getValue().at("/usage/seconds").asDouble(), 1e-9,
                    "the utterance is [" + from + ", " + to + ") ms: " + e.getValue());
        }
        assertTrue(withText > 0, "the fixture decodes text, so a delta carries some: " + events.stream()
                .map(RealtimeClient.Event::json).toList());
    }

    private static boolean completedAll(List<RealtimeClient.Event> events) {
        long committed = events.stream().filter(e -> e.type().equals("input_audio_buffer.committed")).count();
        long done = events.stream().filter(e -> e.type().equals("conversation.item.input_audio_transcription.completed")).count();
        return done == committed;
    }
}
