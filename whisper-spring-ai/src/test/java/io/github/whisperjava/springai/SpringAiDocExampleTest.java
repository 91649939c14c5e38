package io.github.whisperjava.springai;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.springframework.ai.audio.transcription.TranscriptionModel;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** docs/spring-ai.md's service, as it stands there, handed an upload of jfk.wav. */
class SpringAiDocExampleTest {
    // from docs/spring-ai.md, "A service that transcribes an upload"; keep the two the same
    @RestController
    static class TranscriptionController {
        private final TranscriptionModel transcription;   // WhisperTranscriptionModel, injected

        TranscriptionController(TranscriptionModel transcription) { this.transcription = transcription; }

        @PostMapping("/transcribe")
        String transcribe(@RequestParam MultipartFile file) {
            return transcription.transcribe(file.getResource());   // WAV, MP3, FLAC or Ogg Vorbis
        }
    }

    @Test
    void theDocumentedServiceTranscribesAnUpload() throws Exception {
        try (Whisper whisper = Whisper.load(TestData.TINY, ModelOptions.defaults().withConcurrency(1))) {
            TranscriptionController controller = new TranscriptionController(new WhisperTranscriptionModel(whisper));
            MockMultipartFile upload = new MockMultipartFile("file", "jfk.wav", "audio/wav", Files.readAllBytes(TestData.JFK));
            // the for-tests model has no weights: a text comes back, whatever it says
            assertNotNull(controller.transcribe(upload));
        }
    }
}
