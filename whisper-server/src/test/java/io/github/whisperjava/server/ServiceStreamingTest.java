package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionStreamEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stream=true} on OpenAI's transcriptions endpoint, read by OpenAI's SDK and by hand. The
 * weightless test model transcribes to no segments, so what these runs check is the stream's framing,
 * order and errors; with a real model each segment adds one delta before the done event.
 */
class ServiceStreamingTest {
    static TranscriptionServer server;
    static OpenAIClient openai;
    static final Path JFK = ServiceFixture.SHARED.resolve("audio/jfk.wav");

    @BeforeAll
    static void start() {
        server = ServiceFixture.start(ServiceConfig.defaults().withConcurrency(2));
        openai = OpenAIOkHttpClient.builder().apiKey("not-needed").baseUrl(ServiceFixture.url(server, "/v1"))
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        openai.close();
        server.close();
    }

    @Test
    void theSdkReadsDeltasThenTheWholeText() {
        List<TranscriptionStreamEvent> events = new ArrayList<>();
        try (StreamResponse<TranscriptionStreamEvent> stream = openai.audio().transcriptions().createStreaming(
                TranscriptionCreateParams.builder().file(JFK).model(AudioModel.WHISPER_1).language("en").build())) {
            stream.stream().forEach(events::add);
        }
        // the for-tests model has no weights and decodes no segment: this run sees the done event alone, and
        // the deltas are held to adding up to it, whatever their number
        assertFalse(events.isEmpty());
        StringBuilder deltas = new StringBuilder();
        for (TranscriptionStreamEvent e : events.subList(0, events.size() - 1)) {
            assertTrue(e.isTranscriptTextDelta(), "every event before the last is a delta: " + e);
            e.asTranscriptTextDelta().validate();
            deltas.append(e.asTranscriptTextDelta().delta());
        }
        TranscriptionStreamEvent last = events.get(events.size() - 1);
        assertTrue(last.isTranscriptTextDone(), "the last event is done: " + last);
        last.asTranscriptTextDone().validate();
        String text = last.asTranscriptTextDone().text();
        assertEquals(deltas.toString().strip(), text, "the deltas add up to the whole text");

        // the same audio, not streamed: the same text
        String whole = openai.audio().transcriptions().create(TranscriptionCreateParams.builder().file(JFK)
                .model(AudioModel.WHISPER_1).language("en").build()).asTranscription().text();
        assertEquals(whole, text);
    }

    @Test
    void eachEventIsOneDataLineOfServerSentEvents() throws Exception {
        HttpResponse<String> r = ServiceFixture.postForm(server, "/v1/audio/transcriptions", ServiceFixture.jfk(),
                "model", "whisper-1", "stream", "true", "response_format", "text");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), r.headers().toString());
        assertTrue(r.body().endsWith("\n\n"), r.body());
        String[] events = r.body().split("\n\n");
        List<String> types = new ArrayList<>();
        for (String event : events) {
            assertTrue(event.startsWith("data: ") && !event.contains("\n"), event);
            JsonNode json = Replies.JSON.readTree(event.substring("data: ".length()));
            types.add(json.get("type").asText());
        }
        assertEquals("transcript.text.done", types.get(types.size() - 1), types.toString());
        assertEquals(types.size() - 1, types.stream().filter("transcript.text.delta"::equals).count(), types.toString());
    }

    @Test
    void aRequestRefusedBeforeAnyTextIsAnOrdinaryError() throws Exception {
        BadRequestException e = assertThrows(BadRequestException.class, () -> {
            try (StreamResponse<TranscriptionStreamEvent> s = openai.audio().transcriptions().createStreaming(
                    TranscriptionCreateParams.builder().file(JFK).model(AudioModel.WHISPER_1).language("xx").build())) {
                s.stream().count();
            }
        });
        assertTrue(e.getMessage().contains("language"), e.getMessage());

        HttpResponse<String> timed = ServiceFixture.postForm(server, "/v1/audio/transcriptions", ServiceFixture.jfk(),
                "model", "whisper-1", "stream", "true", "response_format", "srt");
        assertEquals(400, timed.statusCode(), timed.body());
        assertTrue(timed.body().contains("\"param\":\"stream\""), timed.body());
        HttpResponse<String> translation = ServiceFixture.postForm(server, "/v1/audio/translations", ServiceFixture.jfk(),
                "model", "whisper-1", "stream", "true");
        assertEquals(400, translation.statusCode(), translation.body());
        assertFalse(translation.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    }
}
