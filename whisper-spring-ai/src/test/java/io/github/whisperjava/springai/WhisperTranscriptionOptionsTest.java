package io.github.whisperjava.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.EncoderWindow;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.springai.WhisperTranscriptionOptions.ResponseFormat;
import org.junit.jupiter.api.Test;
import org.springframework.ai.openai.OpenAiAudioTranscriptionOptions;
import org.springframework.ai.openai.api.OpenAiAudioApi.TranscriptResponseFormat;
import org.springframework.ai.openai.api.OpenAiAudioApi.TranscriptionRequest.GranularityType;

/** Each option, on its way to the library's parameters. */
class WhisperTranscriptionOptionsTest {
    private static TranscribeParams params(WhisperTranscriptionOptions.Builder b) {
        return b.build().toParams();
    }

    @Test
    void unsetOptionsKeepTheLibraryDefaults() {
        TranscribeParams p = new WhisperTranscriptionOptions().toParams();
        TranscribeParams d = TranscribeParams.DEFAULTS;
        assertEquals(d.language(), p.language());
        assertEquals(d.temperature(), p.temperature());
        assertEquals(d.initialPrompt(), p.initialPrompt());
        assertEquals(d.encoderWindow(), p.encoderWindow());
        assertEquals(d.threads(), p.threads());
        assertFalse(p.tokenTimestamps());
        assertNull(p.vad());
    }

    @Test
    void language() {
        assertEquals("de", params(WhisperTranscriptionOptions.builder().language("de")).language());
        assertEquals("auto", params(WhisperTranscriptionOptions.builder().language(" auto ")).language());
    }

    @Test
    void promptIsTheInitialPrompt() {
        assertEquals("Ask not.", params(WhisperTranscriptionOptions.builder().prompt("Ask not.")).initialPrompt());
    }

    @Test
    void temperature() {
        assertEquals(0.4f, params(WhisperTranscriptionOptions.builder().temperature(0.4f)).temperature());
    }

    @Test
    void wordsTurnOnTokenTimestamps() {
        assertTrue(params(WhisperTranscriptionOptions.builder().words(true)).tokenTimestamps());
        assertFalse(params(WhisperTranscriptionOptions.builder().words(false)).tokenTimestamps());
    }

    @Test
    void fitWindow() {
        assertEquals(EncoderWindow.FIT_AUDIO,
                params(WhisperTranscriptionOptions.builder().encoderWindow(EncoderWindow.FIT_AUDIO)).encoderWindow());
    }

    @Test
    void vad() {
        VadOptions v = VadOptions.DEFAULTS.withThreshold(0.7f);
        assertEquals(v, params(WhisperTranscriptionOptions.builder().vad(v)).vad());
    }

    @Test
    void threads() {
        assertEquals(3, params(WhisperTranscriptionOptions.builder().threads(3)).threads());
    }

    @Test
    void responseFormatByOpenAiName() {
        assertEquals(ResponseFormat.VERBOSE_JSON, ResponseFormat.of("verbose_json"));
        assertEquals(ResponseFormat.SRT, ResponseFormat.of("SRT"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResponseFormat.of("docx"));
        assertTrue(e.getMessage().contains("docx"), e.getMessage());
        assertEquals(ResponseFormat.JSON, new WhisperTranscriptionOptions().format(), "OpenAI's default");
    }

    @Test
    void aPromptsOptionsOverrideTheDefaultsFieldByField() {
        WhisperTranscriptionOptions defaults = WhisperTranscriptionOptions.builder().language("de").threads(2)
                .encoderWindow(EncoderWindow.FIT_AUDIO).build();
        WhisperTranscriptionOptions merged = defaults.merge(WhisperTranscriptionOptions.builder().language("fr").build());
        assertEquals("fr", merged.getLanguage());
        assertEquals(2, merged.getThreads());
        assertEquals(EncoderWindow.FIT_AUDIO, merged.getEncoderWindow());
        assertEquals("de", defaults.getLanguage(), "the defaults are not changed");
        assertEquals(defaults, defaults.merge(null));
    }

    @Test
    void openAisOptionsRunUnchanged() {
        OpenAiAudioTranscriptionOptions openAi = OpenAiAudioTranscriptionOptions.builder().model("whisper-1")
                .language("es").prompt("Hola.").temperature(0.2f).responseFormat(TranscriptResponseFormat.VTT)
                .granularityType(GranularityType.WORD).build();
        WhisperTranscriptionOptions w = WhisperTranscriptionModel.adapt(openAi);
        assertEquals("whisper-1", w.getModel());
        assertEquals("es", w.getLanguage());
        assertEquals("Hola.", w.getPrompt());
        assertEquals(0.2f, w.getTemperature());
        assertEquals(ResponseFormat.VTT, w.getResponseFormat());
        assertTrue(w.wantsWords());
        WhisperTranscriptionOptions plain = WhisperTranscriptionModel.adapt(new OpenAiAudioTranscriptionOptions());
        assertNull(plain.getLanguage());
        assertFalse(plain.wantsWords());
    }
}
