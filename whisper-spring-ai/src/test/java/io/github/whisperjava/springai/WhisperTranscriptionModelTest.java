package io.github.whisperjava.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.AudioFormatException;
import io.github.whisperjava.EncoderWindow;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.Word;
import io.github.whisperjava.springai.WhisperTranscriptionOptions.ResponseFormat;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.audio.transcription.AudioTranscriptionPrompt;
import org.springframework.ai.audio.transcription.AudioTranscriptionResponse;
import org.springframework.ai.openai.OpenAiAudioTranscriptionOptions;
import org.springframework.ai.openai.api.OpenAiAudioApi.TranscriptResponseFormat;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;

/** The model over the real library and the for-tests model: what each option does to a real call. */
class WhisperTranscriptionModelTest {
    private static Whisper whisper;
    private static WhisperTranscriptionModel model;

    @BeforeAll
    static void load() {
        whisper = Whisper.load(TestData.TINY, ModelOptions.defaults().withConcurrency(2));
        model = new WhisperTranscriptionModel(whisper);
    }

    @AfterAll
    static void close() {
        whisper.close();
    }

    private static AudioTranscriptionResponse call(WhisperTranscriptionOptions options) {
        return model.call(new AudioTranscriptionPrompt(new FileSystemResource(TestData.JFK), options));
    }

    @Test
    void anyResourceTheLibraryReads() throws Exception {
        byte[] wav = Files.readAllBytes(TestData.JFK);
        AudioTranscriptionResponse r = model.call(new AudioTranscriptionPrompt(new ByteArrayResource(wav)));
        assertEquals(11.0, (double) r.getMetadata().get(WhisperTranscriptionModel.DURATION), 0.01);
        AudioFormatException e = assertThrows(AudioFormatException.class,
                () -> model.call(new AudioTranscriptionPrompt(new ByteArrayResource("not audio".getBytes()))));
        assertNotNull(e.getMessage());
    }

    @Test
    void languageIsTheOneDecodedIn() {
        AudioTranscriptionResponse r = call(WhisperTranscriptionOptions.builder().language("de").build());
        assertEquals("de", r.getMetadata().get(WhisperTranscriptionModel.LANGUAGE));
    }

    @Test
    void wordsWhenAsked() {
        AudioTranscriptionResponse r = call(WhisperTranscriptionOptions.builder().words(true).build());
        List<Word> words = r.getMetadata().get(WhisperTranscriptionModel.WORDS);
        assertNotNull(words, "words asked for: present, if empty with this model");
        words.forEach(w -> assertTrue(w.endMs() >= w.startMs(), w.toString()));
    }

    @Test
    void subtitlesInTheirFormats() {
        String srt = call(WhisperTranscriptionOptions.builder().responseFormat(ResponseFormat.SRT).build())
                .getResult().getOutput();
        String vtt = call(WhisperTranscriptionOptions.builder().responseFormat(ResponseFormat.VTT).build())
                .getResult().getOutput();
        assertTrue(vtt.startsWith("WEBVTT"), vtt);
        assertTrue(!srt.startsWith("WEBVTT"), srt);
        String text = call(WhisperTranscriptionOptions.builder().responseFormat(ResponseFormat.TEXT).build())
                .getResult().getOutput();
        assertEquals(text, text.strip(), "plain text, trimmed");
    }

    @Test
    void fitWindowAndVadRun() {
        AudioTranscriptionResponse fit = call(WhisperTranscriptionOptions.builder()
                .encoderWindow(EncoderWindow.FIT_AUDIO).build());
        assertEquals(11.0, (double) fit.getMetadata().get(WhisperTranscriptionModel.DURATION), 0.01);
        // the genuine Silero model (whisper.vad.model, set by the build): times stay the file's
        AudioTranscriptionResponse vad = call(WhisperTranscriptionOptions.builder().vad(VadOptions.DEFAULTS).build());
        assertEquals(11.0, (double) vad.getMetadata().get(WhisperTranscriptionModel.DURATION), 0.01);
    }

    @Test
    void optionsOfOpenAisModelRunHereUnchanged() {
        OpenAiAudioTranscriptionOptions openAi = OpenAiAudioTranscriptionOptions.builder().model("whisper-1")
                .language("fr").responseFormat(TranscriptResponseFormat.VTT).build();
        AudioTranscriptionResponse r = model.call(new AudioTranscriptionPrompt(new FileSystemResource(TestData.JFK), openAi));
        assertEquals("fr", r.getMetadata().get(WhisperTranscriptionModel.LANGUAGE));
        assertTrue(r.getResult().getOutput().startsWith("WEBVTT"), r.getResult().getOutput());
    }

    @Test
    void theModelsDefaultsApplyWhereThePromptIsSilent() {
        WhisperTranscriptionModel german = new WhisperTranscriptionModel(whisper,
                WhisperTranscriptionOptions.builder().language("de").build());
        AudioTranscriptionResponse r = german.call(new AudioTranscriptionPrompt(new FileSystemResource(TestData.JFK)));
        assertEquals("de", r.getMetadata().get(WhisperTranscriptionModel.LANGUAGE));
        AudioTranscriptionResponse over = german.call(new AudioTranscriptionPrompt(new FileSystemResource(TestData.JFK),
                WhisperTranscriptionOptions.builder().language("it").build()));
        assertEquals("it", over.getMetadata().get(WhisperTranscriptionModel.LANGUAGE));
        assertInstanceOf(Double.class, over.getMetadata().get(WhisperTranscriptionModel.DURATION));
    }
}
