package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.langchain4j.data.audio.Audio;
import dev.langchain4j.model.audio.AudioTranscriptionRequest;
import dev.langchain4j.model.audio.AudioTranscriptionResponse;
import dev.langchain4j.model.openai.OpenAiAudioTranscriptionModel;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's OpenAI audio transcription model (langchain4j-open-ai 1.19.0, which has
 * {@code dev.langchain4j.model.audio.AudioTranscriptionModel}) against whisper-server on loopback. It asks
 * for json only; it has no response format option.
 */
class LangChain4jOpenAiClientTest {
    private static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"));
    private static TranscriptionServer server;

    @BeforeAll
    static void start() {
        Whisper w = Whisper.load(SHARED.resolve("models/for-tests-ggml-tiny.bin"), ModelOptions.defaults().withConcurrency(1));
        server = TranscriptionServer.listen(ServiceConfig.defaults().withConcurrency(1), "127.0.0.1", 0).serve(w);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void transcribesJfk() throws Exception {
        OpenAiAudioTranscriptionModel model = OpenAiAudioTranscriptionModel.builder()
                .baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey("unused").modelName("whisper-1").build();
        Audio audio = Audio.builder().binaryData(Files.readAllBytes(SHARED.resolve("audio/jfk.wav")))
                .mimeType("audio/wav").build();
        AudioTranscriptionResponse r = model.transcribe(AudioTranscriptionRequest.builder().audio(audio)
                .language("en").temperature(0.0).prompt("Ask not.").build());
        // the for-tests model has no weights: that an answer parsed, never what it says
        assertNotNull(r.text());
    }
}
