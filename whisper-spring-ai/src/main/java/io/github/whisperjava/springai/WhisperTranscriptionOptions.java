package io.github.whisperjava.springai;

import io.github.whisperjava.EncoderWindow;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.VadOptions;
import java.util.Locale;
import java.util.Objects;
import org.springframework.ai.audio.transcription.AudioTranscriptionOptions;

/**
 * Options of one transcription by {@link WhisperTranscriptionModel}: the ones OpenAI's API has (language,
 * prompt, temperature, response format, word timestamps) and this library's own (the encoder window, VAD,
 * threads). A null field is "not set": the model's defaults, then the library's, apply.
 *
 * <p>Mutable with setters, as Spring AI's own options classes are, so that Spring can bind it and a
 * prompt's options can be merged over the model's defaults ({@link #merge}).
 */
public class WhisperTranscriptionOptions implements AudioTranscriptionOptions {

    /** What {@link WhisperTranscriptionModel} answers as the transcription's text. */
    public enum ResponseFormat {
        /** The text (OpenAI's json: the client reads its text field). */
        JSON,
        /** The text. */
        TEXT,
        /** The text; segments, and words when asked, are in the response's metadata as with every format. */
        VERBOSE_JSON,
        /** SubRip subtitles, as whisper-cli writes them. */
        SRT,
        /** WebVTT subtitles, as whisper-cli writes them. */
        VTT;

        /** {@code json}, {@code verbose_json}, {@code srt}, ... as OpenAI names them (case-insensitive). */
        public static ResponseFormat of(String name) {
            String want = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (ResponseFormat f : values()) {
                if (f.name().equals(want)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("response format must be json, text, verbose_json, srt or vtt, got \""
                    + name + "\"");
        }
    }

    private String model;
    private String language;
    private String prompt;
    private Float temperature;
    private ResponseFormat responseFormat;
    private Boolean words;
    private EncoderWindow encoderWindow;
    private VadOptions vad;
    private Integer threads;

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Informational: the model is the one the {@link io.github.whisperjava.Whisper} was loaded with; a
     * prompt cannot switch it (an OpenAI client's {@code whisper-1} is accepted and ignored).
     */
    @Override
    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    /** An ISO 639-1 code ({@code en}, {@code de}, ...) or {@code auto}; unset: the library's default, {@code en}. */
    public String getLanguage() {
        return language;
    }

    public void setLanguage(String language) {
        this.language = language;
    }

    /** Text the decoder is primed with (whisper's initial prompt; OpenAI's {@code prompt}). */
    public String getPrompt() {
        return prompt;
    }

    public void setPrompt(String prompt) {
        this.prompt = prompt;
    }

    public Float getTemperature() {
        return temperature;
    }

    public void setTemperature(Float temperature) {
        this.temperature = temperature;
    }

    public ResponseFormat getResponseFormat() {
        return responseFormat;
    }

    public void setResponseFormat(ResponseFormat responseFormat) {
        this.responseFormat = responseFormat;
    }

    /** Word timestamps (OpenAI's {@code timestamp_granularities=word}): the metadata's {@code words}. */
    public Boolean getWords() {
        return words;
    }

    public void setWords(Boolean words) {
        this.words = words;
    }

    /** {@link EncoderWindow#FIT_AUDIO}: short clips encode only what they need (the server's {@code fit_window}). */
    public EncoderWindow getEncoderWindow() {
        return encoderWindow;
    }

    public void setEncoderWindow(EncoderWindow encoderWindow) {
        this.encoderWindow = encoderWindow;
    }

    /** Transcribe only the speech Silero VAD finds; times stay the file's. */
    public VadOptions getVad() {
        return vad;
    }

    public void setVad(VadOptions vad) {
        this.vad = vad;
    }

    /** CPU threads of one transcription; unset: the library's default. */
    public Integer getThreads() {
        return threads;
    }

    public void setThreads(Integer threads) {
        this.threads = threads;
    }

    /** These options with every field {@code over} sets replacing this one's. */
    public WhisperTranscriptionOptions merge(WhisperTranscriptionOptions over) {
        WhisperTranscriptionOptions m = copy();
        if (over == null) {
            return m;
        }
        m.model = pick(over.model, model);
        m.language = pick(over.language, language);
        m.prompt = pick(over.prompt, prompt);
        m.temperature = pick(over.temperature, temperature);
        m.responseFormat = pick(over.responseFormat, responseFormat);
        m.words = pick(over.words, words);
        m.encoderWindow = pick(over.encoderWindow, encoderWindow);
        m.vad = pick(over.vad, vad);
        m.threads = pick(over.threads, threads);
        return m;
    }

    public WhisperTranscriptionOptions copy() {
        WhisperTranscriptionOptions c = new WhisperTranscriptionOptions();
        c.model = model;
        c.language = language;
        c.prompt = prompt;
        c.temperature = temperature;
        c.responseFormat = responseFormat;
        c.words = words;
        c.encoderWindow = encoderWindow;
        c.vad = vad;
        c.threads = threads;
        return c;
    }

    /** The response format, {@link ResponseFormat#JSON} when unset (OpenAI's default). */
    ResponseFormat format() {
        return responseFormat == null ? ResponseFormat.JSON : responseFormat;
    }

    boolean wantsWords() {
        return Boolean.TRUE.equals(words);
    }

    /** The library's parameters for these options; what is unset keeps the library's default. */
    public TranscribeParams toParams() {
        TranscribeParams.Builder b = TranscribeParams.builder();
        if (language != null && !language.isBlank()) {
            b.language(language.strip());
        }
        if (prompt != null && !prompt.isEmpty()) {
            b.initialPrompt(prompt);
        }
        if (temperature != null) {
            b.temperature(temperature);
        }
        if (wantsWords()) {
            b.tokenTimestamps(true); // words get their times from the token timestamps
        }
        if (encoderWindow != null) {
            b.encoderWindow(encoderWindow);
        }
        if (vad != null) {
            b.vad(vad);
        }
        if (threads != null) {
            b.threads(threads);
        }
        return b.build();
    }

    private static <T> T pick(T over, T base) {
        return over != null ? over : base;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WhisperTranscriptionOptions w && Objects.equals(model, w.model)
                && Objects.equals(language, w.language) && Objects.equals(prompt, w.prompt)
                && Objects.equals(temperature, w.temperature) && responseFormat == w.responseFormat
                && Objects.equals(words, w.words) && encoderWindow == w.encoderWindow && Objects.equals(vad, w.vad)
                && Objects.equals(threads, w.threads);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, language, prompt, temperature, responseFormat, words, encoderWindow, vad, threads);
    }

    @Override
    public String toString() {
        return "WhisperTranscriptionOptions[model=" + model + ", language=" + language + ", prompt=" + prompt
                + ", temperature=" + temperature + ", responseFormat=" + responseFormat + ", words=" + words
                + ", encoderWindow=" + encoderWindow + ", vad=" + vad + ", threads=" + threads + "]";
    }

    /** Builds {@link WhisperTranscriptionOptions}. */
    public static final class Builder {
        private final WhisperTranscriptionOptions o = new WhisperTranscriptionOptions();

        public Builder model(String v) { o.setModel(v); return this; }

        public Builder language(String v) { o.setLanguage(v); return this; }

        public Builder prompt(String v) { o.setPrompt(v); return this; }

        public Builder temperature(Float v) { o.setTemperature(v); return this; }

        public Builder responseFormat(ResponseFormat v) { o.setResponseFormat(v); return this; }

        public Builder words(Boolean v) { o.setWords(v); return this; }

        public Builder encoderWindow(EncoderWindow v) { o.setEncoderWindow(v); return this; }

        public Builder vad(VadOptions v) { o.setVad(v); return this; }

        public Builder threads(Integer v) { o.setThreads(v); return this; }

        public WhisperTranscriptionOptions build() {
            return o.copy();
        }
    }
}
