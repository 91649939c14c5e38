package io.github.whisperjava.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.audio.transcription.AudioTranscriptionPrompt;
import org.springframework.ai.audio.transcription.AudioTranscriptionResponse;
import org.springframework.ai.audio.transcription.TranscriptionModel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.FileSystemResource;

/**
 * What an application sees: a Spring Boot application with this module on its class path gets a
 * {@link TranscriptionModel} injected, found by auto-configuration alone. The test class path has Spring
 * AI's OpenAI starter too (for the other tests), so this is the application that keeps OpenAI for the rest
 * and moves transcription here by the provider property, as docs/spring-ai.md tells.
 */
@SpringBootTest(classes = WhisperSpringBootApplicationTest.App.class,
        properties = {"spring.ai.whisper.model-path=../../shared/models/for-tests-ggml-tiny.bin",
                "spring.ai.whisper.offline=true", "spring.ai.whisper.concurrency=1",
                "spring.ai.model.audio.transcription=whisper", "spring.ai.openai.api-key=unused"})
class WhisperSpringBootApplicationTest {
    @SpringBootApplication
    static class App {}

    @Autowired
    TranscriptionModel transcription;

    @Test
    void theInjectedModelTranscribesJfk() {
        assertInstanceOf(WhisperTranscriptionModel.class, transcription);
        AudioTranscriptionResponse r = transcription.call(new AudioTranscriptionPrompt(new FileSystemResource(TestData.JFK)));
        // the for-tests model has no weights: the text is not asserted, only that there is one and its metadata
        assertNotNull(r.getResult().getOutput());
        assertEquals("en", r.getMetadata().get(WhisperTranscriptionModel.LANGUAGE));
        double seconds = r.getMetadata().get(WhisperTranscriptionModel.DURATION);
        assertEquals(11.0, seconds, 0.01, "jfk.wav is 11.0 s");
        List<Segment> segments = r.getMetadata().get(WhisperTranscriptionModel.SEGMENTS);
        assertNotNull(segments);
        assertTrue(segments.stream().allMatch(s -> s.endMs() >= s.startMs() && s.endMs() <= 11_100), segments.toString());
        assertTrue(!r.getMetadata().containsKey(WhisperTranscriptionModel.WORDS), "words only when asked");
        assertNotNull(transcription.transcribe(new FileSystemResource(TestData.JFK)));
    }
}
