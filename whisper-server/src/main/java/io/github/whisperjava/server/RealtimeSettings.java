package io.github.whisperjava.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.whisperjava.LiveOptions;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.Whisper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Realtime transcription session's settings, as {@code session.update} sets them (OpenAI's GA shape:
 * {@code session.type "transcription"}, {@code session.audio.input.{format, transcription, turn_detection}})
 * and as {@code session.created}/{@code session.updated} report them. Fields an update leaves out keep
 * their value; {@code turn_detection: null} turns endpointing off (then only
 * {@code input_audio_buffer.commit} ends an utterance).
 *
 * @param rate the pcm16 sample rate; OpenAI takes only 24000, this service any rate whisper-java resamples
 * @param vad server_vad's settings, or null for none
 */
record RealtimeSettings(int rate, String language, String prompt, ServerVad vad) {

    /** OpenAI's server_vad: threshold, prefix_padding_ms and silence_duration_ms, with OpenAI's defaults. */
    record ServerVad(float threshold, int prefixPaddingMs, int silenceDurationMs) {
        static final ServerVad OPENAI_DEFAULTS = new ServerVad(0.5f, 300, 500);
    }

    static final int OPENAI_RATE = 24_000;

    /** A new session's: 24 kHz pcm16, the language detected, server_vad with OpenAI's defaults when this service has VAD. */
    static RealtimeSettings initial(boolean serviceHasVad) {
        return new RealtimeSettings(OPENAI_RATE, null, null, serviceHasVad ? ServerVad.OPENAI_DEFAULTS : null);
    }

    /** These settings changed by a {@code session.update}'s {@code session} object; ApiException names what is wrong. */
    RealtimeSettings update(JsonNode session) {
        if (session == null || !session.isObject()) {
            throw ApiException.badParameter("session", "session.update needs a session object");
        }
        JsonNode type = session.get("type");
        if (type != null && !type.asText().equals("transcription")) {
            throw ApiException.badParameter("session.type", "this service has transcription sessions only (type \"transcription\"), not \""
                    + type.asText() + "\"");
        }
        JsonNode input = session.path("audio").path("input");
        int r = rate;
        String lang = language;
        String p = prompt;
        ServerVad v = vad;
        JsonNode format = input.get("format");
        if (format != null && !format.isNull()) {
            String kind = format.path("type").asText("audio/pcm");
            if (!kind.equals("audio/pcm")) {
                throw ApiException.badParameter("session.audio.input.format.type", "only audio/pcm (16-bit little-endian mono) is served, not "
                        + kind);
            }
            JsonNode hz = format.get("rate");
            if (hz != null && !hz.isNull()) {
                if (!hz.canConvertToInt() || hz.asInt() < 8_000 || hz.asInt() > 48_000) {
                    throw ApiException.badParameter("session.audio.input.format.rate", "rate must be 8000..48000 Hz, got " + hz);
                }
                r = hz.asInt();
            }
        }
        JsonNode transcription = input.get("transcription");
        if (transcription != null && !transcription.isNull()) {
            if (transcription.has("language")) {
                lang = language(transcription.get("language"));
            }
            if (transcription.has("prompt")) {
                p = transcription.get("prompt").isNull() ? null : transcription.get("prompt").asText();
                p = p == null || p.isEmpty() ? null : p;
            }
        }
        if (input.has("turn_detection")) {
            v = serverVad(input.get("turn_detection"), v);
        }
        return new RealtimeSettings(r, lang, p, v);
    }

    private static String language(JsonNode node) {
        if (node.isNull() || node.asText().isBlank()) {
            return null;
        }
        String l = node.asText().strip().toLowerCase(Locale.ROOT);
        if (l.equals("auto")) {
            return null;
        }
        if (!l.matches("[a-z]{2,3}") || !Whisper.isKnownLanguage(l)) {
            throw ApiException.badParameter("session.audio.input.transcription.language",
                    "language must be an ISO-639-1 code whisper knows, such as en, got \"" + node.asText() + "\"");
        }
        return l;
    }

    private static ServerVad serverVad(JsonNode node, ServerVad current) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = node.path("type").asText("server_vad");
        if (!type.equals("server_vad")) {
            throw ApiException.badParameter("session.audio.input.turn_detection.type", "only server_vad (or null) is served, not " + type);
        }
        ServerVad base = current != null ? current : ServerVad.OPENAI_DEFAULTS;
        float threshold = node.has("threshold") ? (float) number(node, "threshold", 0, 1) : base.threshold();
        int padding = node.has("prefix_padding_ms") ? (int) number(node, "prefix_padding_ms", 0, 10_000) : base.prefixPaddingMs();
        int silence = node.has("silence_duration_ms") ? (int) number(node, "silence_duration_ms", 0, 10_000)
                : base.silenceDurationMs();
        return new ServerVad(threshold, padding, silence);
    }

    private static double number(JsonNode parent, String name, double min, double max) {
        JsonNode n = parent.get(name);
        if (!n.isNumber() || !(n.asDouble() >= min && n.asDouble() <= max)) {
            throw ApiException.badParameter("session.audio.input.turn_detection." + name, name + " must be a number in "
                    + min + ".." + max + ", got " + n);
        }
        return n.asDouble();
    }

    /**
     * The library's options: server_vad's threshold, prefix padding and silence become Silero's threshold,
     * speech padding and minimum silence, on the VAD model the service resolved at start-up.
     */
    LiveOptions liveOptions(Transcriber transcriber, LiveLimits limits) {
        TranscribeParams.Builder params = LiveOptions.DEFAULTS.params().toBuilder().language(language == null ? "auto" : language);
        if (prompt != null) {
            params.initialPrompt(prompt);
        }
        LiveOptions o = LiveOptions.DEFAULTS.withParams(params.build()).withSampleRate(rate)
                .withMaxBuffered(limits.maxBuffered());
        return o.withVad(vad == null ? null : vadOptions(transcriber.vad(vad.threshold())));
    }

    /** server_vad on top of the service's VAD options (its model and threshold already set). */
    VadOptions vadOptions(VadOptions base) {
        return base.withThreshold(vad.threshold()).withSpeechPadMs(vad.prefixPaddingMs()).withMinSilenceMs(vad.silenceDurationMs());
    }

    /** The session object of {@code session.created} and {@code session.updated}. */
    Map<String, Object> json(String id, String model) {
        Map<String, Object> format = new LinkedHashMap<>();
        format.put("type", "audio/pcm");
        format.put("rate", rate);
        Map<String, Object> transcription = new LinkedHashMap<>();
        transcription.put("model", model);
        transcription.put("language", language);
        transcription.put("prompt", prompt == null ? "" : prompt);
        Map<String, Object> turn = null;
        if (vad != null) {
            turn = new LinkedHashMap<>();
            turn.put("type", "server_vad");
            turn.put("threshold", vad.threshold());
            turn.put("prefix_padding_ms", vad.prefixPaddingMs());
            turn.put("silence_duration_ms", vad.silenceDurationMs());
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("format", format);
        input.put("noise_reduction", null);
        input.put("transcription", transcription);
        input.put("turn_detection", turn);
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("type", "transcription");
        session.put("object", "realtime.transcription_session");
        session.put("id", id);
        session.put("audio", Map.of("input", input));
        session.put("include", List.of());
        return session;
    }
}
