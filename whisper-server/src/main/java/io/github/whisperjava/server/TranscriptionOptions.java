package io.github.whisperjava.server;

import io.github.whisperjava.EncoderWindow;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.Whisper;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What one request asks for, checked: OpenAI's fields (language, prompt, temperature, response_format,
 * timestamp_granularities, stream) and this service's extras (vad, vad_threshold, fit_window).
 */
record TranscriptionOptions(String language, boolean translate, String prompt, float temperature,
        ResponseFormat format, boolean words, boolean segments, boolean vad, float vadThreshold, boolean fitWindow,
        boolean stream) {

    private static final Pattern LANGUAGE = Pattern.compile("auto|[a-z]{2,3}");

    static TranscriptionOptions from(RequestFields f, boolean translate, ResponseFormat defaultFormat) {
        String language = f.text("language", "auto").strip().toLowerCase(Locale.ROOT);
        if (language.isEmpty()) {
            language = "auto";
        }
        if (!LANGUAGE.matcher(language).matches() || !Whisper.isKnownLanguage(language)) {
            throw ApiException.badParameter("language", "language must be an ISO-639-1 code whisper knows, such as en, "
                    + "or auto, got \"" + f.text("language", "") + "\"");
        }
        ResponseFormat format = ResponseFormat.of(f.text("response_format", defaultFormat.name()));
        boolean words = false;
        boolean segments = f.all("timestamp_granularities").isEmpty();
        for (String g : f.all("timestamp_granularities")) {
            switch (g.strip()) {
                case "word" -> words = true;
                case "segment" -> segments = true;
                default -> throw ApiException.badParameter("timestamp_granularities",
                        "timestamp_granularities must be word or segment, got \"" + g + "\"");
            }
        }
        if (words && format != ResponseFormat.VERBOSE_JSON) {
            throw ApiException.badParameter("timestamp_granularities",
                    "timestamp_granularities needs response_format verbose_json");
        }
        boolean stream = f.flag("stream");
        if (stream && format != ResponseFormat.JSON && format != ResponseFormat.TEXT) {
            // the events carry text only, as OpenAI's do: a timed format has nothing to stream it as
            throw ApiException.badParameter("stream", "stream=true answers text events; response_format must be json or text");
        }
        float threshold = f.number("vad_threshold", VadOptions.DEFAULTS.threshold(), 0, 1);
        return new TranscriptionOptions(language, translate, f.text("prompt", ""),
                f.number("temperature", 0, 0, 1), format, words, segments,
                f.has("vad") ? f.flag("vad") : f.has("vad_threshold"), threshold, f.flag("fit_window"), stream);
    }

    /**
     * The library's parameters for this request; the deadline and queue wait are the service's, and so is
     * the VAD model (resolved at start-up).
     */
    TranscribeParams params(Transcriber transcriber) {
        TranscribeParams.Builder b = TranscribeParams.builder()
                .language(language)
                .translate(translate)
                .temperature(temperature)
                .tokenTimestamps(words)
                .encoderWindow(fitWindow ? EncoderWindow.FIT_AUDIO : EncoderWindow.FULL);
        if (!prompt.isEmpty()) {
            b.initialPrompt(prompt);
        }
        if (vad) {
            b.vad(transcriber.vad(vadThreshold));
        }
        return b.build();
    }
}
