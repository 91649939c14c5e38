package io.github.whisperjava.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.audio.transcription.AudioTranscriptionPrompt;
import org.springframework.ai.audio.transcription.AudioTranscriptionResponse;
import org.springframework.ai.audio.transcription.TranscriptionModel;
import org.springframework.ai.model.openai.autoconfigure.OpenAiAudioTranscriptionAutoConfiguration;
import org.springframework.ai.openai.OpenAiAudioTranscriptionModel;
import org.springframework.ai.openai.OpenAiAudioTranscriptionOptions;
import org.springframework.ai.openai.api.OpenAiAudioApi;
import org.springframework.ai.openai.api.OpenAiAudioApi.TranscriptResponseFormat;
import org.springframework.ai.openai.api.OpenAiAudioApi.TranscriptionRequest.GranularityType;
import org.springframework.ai.retry.autoconfigure.SpringAiRetryAutoConfiguration;
import io.github.whisperjava.springai.WhisperAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.web.client.RestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.function.client.WebClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.FileSystemResource;

/**
 * Spring AI's own OpenAI client, its base URL pointed at whisper-server on loopback: an application that
 * uses OpenAI's cloud through Spring AI moves to the server by one property. In this package because
 * the server's test entry point (listen, serve) is package-private, as whisper-server's own tests use it.
 */
class SpringAiOpenAiClientTest {
    private static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"));
    private static TranscriptionServer server;
    private static OpenAiAudioApi api;

    @BeforeAll
    static void start() {
        Whisper w = Whisper.load(SHARED.resolve("models/for-tests-ggml-tiny.bin"), ModelOptions.defaults().withConcurrency(2));
        server = TranscriptionServer.listen(ServiceConfig.defaults().withConcurrency(2), "127.0.0.1", 0).serve(w);
        // the key is sent and ignored (this server has none set); Spring AI refuses to build without one
        api = OpenAiAudioApi.builder().baseUrl("http://127.0.0.1:" + server.port()).apiKey("unused").build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static AudioTranscriptionResponse transcribe(OpenAiAudioTranscriptionOptions.Builder options) {
        OpenAiAudioTranscriptionModel model = new OpenAiAudioTranscriptionModel(api, options.build());
        return model.call(new AudioTranscriptionPrompt(new FileSystemResource(SHARED.resolve("audio/jfk.wav"))));
    }

    private static OpenAiAudioTranscriptionOptions.Builder format(TranscriptResponseFormat f) {
        return OpenAiAudioTranscriptionOptions.builder().model("whisper-1").language("en").temperature(0f).responseFormat(f);
    }

    // the for-tests model has no weights: each answer's shape is asserted, never its words

    @Test
    void json() {
        assertNotNull(transcribe(format(TranscriptResponseFormat.JSON)).getResult().getOutput());
    }

    @Test
    void text() {
        String text = transcribe(format(TranscriptResponseFormat.TEXT)).getResult().getOutput();
        assertNotNull(text);
        assertFalse(text.startsWith("{"), text);
    }

    /**
     * The for-tests model decodes no cue: the server once answered an empty body, which this client
     * reads as no result at all (getResult() null, transcribe() a NullPointerException).
     */
    @Test
    void srt() {
        String srt = transcribe(format(TranscriptResponseFormat.SRT)).getResult().getOutput();
        assertNotNull(srt);
        assertFalse(srt.startsWith("WEBVTT") || srt.startsWith("{"), srt);
    }

    @Test
    void vtt() {
        String vtt = transcribe(format(TranscriptResponseFormat.VTT)).getResult().getOutput();
        assertTrue(vtt.startsWith("WEBVTT"), vtt);
    }

    @Test
    void verboseJson() {
        assertNotNull(transcribe(format(TranscriptResponseFormat.VERBOSE_JSON)).getResult().getOutput());
    }

    @Test
    void verboseJsonWithWords() {
        assertNotNull(transcribe(format(TranscriptResponseFormat.VERBOSE_JSON).granularityType(GranularityType.WORD))
                .getResult().getOutput());
    }

    @Test
    void theLowLevelApiSeesOpenAisVerboseShape() {
        OpenAiAudioApi.StructuredResponse r = api.createTranscription(OpenAiAudioApi.TranscriptionRequest.builder()
                .file(readJfk()).fileName("jfk.wav").model("whisper-1")
                .responseFormat(TranscriptResponseFormat.VERBOSE_JSON).build(),
                OpenAiAudioApi.StructuredResponse.class).getBody();
        assertNotNull(r);
        assertEquals("english", r.language());
        assertEquals(11.0, r.duration(), 0.01);
        assertNotNull(r.segments());
    }

    /**
     * What docs/spring-ai.md tells an application on Spring AI's OpenAI starter: two properties point it at
     * the server. With this module on the class path too, the provider property picks OpenAI's client.
     */
    @Test
    void spring_ai_openai_audio_transcription_base_urlIsAllItTakes() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class,
                        WebClientAutoConfiguration.class, SpringAiRetryAutoConfiguration.class,
                        OpenAiAudioTranscriptionAutoConfiguration.class, WhisperAutoConfiguration.class))
                .withPropertyValues("spring.ai.model.audio.transcription=openai", "spring.ai.openai.api-key=unused",
                        "spring.ai.openai.audio.transcription.base-url=http://127.0.0.1:" + server.port(),
                        "spring.ai.openai.audio.transcription.options.response-format=vtt")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(TranscriptionModel.class)
                            .doesNotHaveBean(Whisper.class);
                    TranscriptionModel model = context.getBean(TranscriptionModel.class);
                    assertInstanceOf(OpenAiAudioTranscriptionModel.class, model);
                    String vtt = model.transcribe(new FileSystemResource(SHARED.resolve("audio/jfk.wav")));
                    assertTrue(vtt.startsWith("WEBVTT"), vtt);
                });
    }

    private static byte[] readJfk() {
        try {
            return java.nio.file.Files.readAllBytes(SHARED.resolve("audio/jfk.wav"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
