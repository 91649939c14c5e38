package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.Transcription;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.audio.transcriptions.TranscriptionSegment;
import com.openai.models.audio.transcriptions.TranscriptionVerbose;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OpenAI's official Java SDK, pointed at the service on loopback: a client nobody here wrote. */
class ServiceOpenAiSdkTest {
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

    static TranscriptionCreateParams.Builder params(AudioResponseFormat format) {
        return TranscriptionCreateParams.builder().file(JFK).model(AudioModel.WHISPER_1).language("en")
                .responseFormat(format);
    }

    static String raw(TranscriptionCreateParams p) throws Exception {
        try (HttpResponseFor<TranscriptionCreateResponse> r = openai.audio().transcriptions().withRawResponse().create(p);
                InputStream in = r.body()) {
            assertEquals(200, r.statusCode());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void json() {
        Transcription t = openai.audio().transcriptions().create(params(AudioResponseFormat.JSON).build()).asTranscription();
        t.validate();
        assertEquals(t.text(), t.text().strip());
        assertEquals("for-tests-ggml-tiny.bin", t._additionalProperties().get("model").asStringOrThrow());
    }

    @Test
    void verboseJsonWithWordTimestamps() {
        TranscriptionVerbose v = openai.audio().transcriptions().create(params(AudioResponseFormat.VERBOSE_JSON)
                .timestampGranularities(List.of(TranscriptionCreateParams.TimestampGranularity.WORD,
                        TranscriptionCreateParams.TimestampGranularity.SEGMENT))
                .build()).asVerbose();
        v.validate(); // every field OpenAI's schema requires is there, with its type
        assertEquals(11.0, v.duration());
        assertEquals("english", v.language(), "as OpenAI names it");
        assertTrue(v.words().isPresent());
        List<TranscriptionSegment> segments = v.segments().orElseThrow();
        for (TranscriptionSegment s : segments) {
            assertTrue(s.end() >= s.start() && s.noSpeechProb() >= 0 && s.temperature() == 0, s.toString());
        }
        v.words().orElseThrow().forEach(w -> assertTrue(w.end() >= w.start(), w.toString()));
    }

    @Test
    void textSrtAndVtt() throws Exception {
        String text = raw(params(AudioResponseFormat.TEXT).build());
        assertTrue(text.endsWith("\n"), text);
        String srt = raw(params(AudioResponseFormat.SRT).build());
        String vtt = raw(params(AudioResponseFormat.VTT).build());
        assertTrue(vtt.startsWith("WEBVTT"), vtt);
        assertFalse(srt.startsWith("WEBVTT"), srt);
    }

    @Test
    void translationsAndErrorsAsTheSdkReadsThem() {
        var tr = openai.audio().translations().create(com.openai.models.audio.translations.TranslationCreateParams.builder()
                .file(JFK).model(AudioModel.WHISPER_1).build());
        tr.validate();
        BadRequestException e = assertThrows(BadRequestException.class, () -> openai.audio().transcriptions()
                .create(params(AudioResponseFormat.JSON).temperature(3.0).build()));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
    }
}
