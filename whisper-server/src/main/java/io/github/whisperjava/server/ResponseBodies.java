package io.github.whisperjava.server;

import io.github.whisperjava.LanguageProbability;
import io.github.whisperjava.Segment;
import io.github.whisperjava.Token;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.Word;
import io.github.whisperjava.output.OutputContext;
import io.github.whisperjava.output.OutputFormat;
import io.github.whisperjava.output.TranscriptWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transcript in the shape of each {@code response_format}: OpenAI's json ({@code {"text"}}),
 * verbose_json (segments with OpenAI's fields, words when asked for), text, srt and vtt (whisper-cli's
 * layouts, which OpenAI's match). Every JSON body also names the model that answered.
 */
final class ResponseBodies {
    private ResponseBodies() {}

    /** The body and its content type. */
    record Body(String contentType, Object json, String text) {}

    static Body of(Transcript t, TranscriptionOptions o, OutputContext context, String model) {
        return switch (o.format()) {
            case JSON -> new Body("application/json", json(t, model), null);
            case VERBOSE_JSON -> new Body("application/json", verbose(t, o, model), null);
            case TEXT -> new Body("text/plain; charset=utf-8", null, t.text() + "\n");
            case SRT -> new Body("text/plain; charset=utf-8", null, srt(t, context));
            case VTT -> new Body("text/vtt; charset=utf-8", null, TranscriptWriter.format(t, OutputFormat.VTT, context));
        };
    }

    /**
     * whisper-cli's SRT, but a newline where it has no cue at all: an empty 200 body reads as no answer to
     * Spring AI's OpenAI client (its result is null, and its transcribe() throws), as the text answer's
     * trailing newline already avoids.
     */
    private static String srt(Transcript t, OutputContext context) {
        String srt = TranscriptWriter.format(t, OutputFormat.SRT, context);
        return srt.isEmpty() ? "\n" : srt;
    }

    private static Map<String, Object> json(Transcript t, String model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", t.text());
        m.put("model", model);
        return m;
    }

    private static Map<String, Object> verbose(Transcript t, TranscriptionOptions o, String model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", o.translate() ? "translate" : "transcribe");
        m.put("language", LanguageProbability.nameOf(t.language())); // OpenAI answers "english", not "en"
        m.put("duration", t.audioDurationMs() / 1000.0);
        m.put("text", t.text());
        m.put("model", model);
        if (o.segments()) {
            List<Map<String, Object>> segments = new ArrayList<>();
            for (Segment s : t.segments()) {
                segments.add(segment(s, o.temperature()));
            }
            m.put("segments", segments);
        }
        if (o.words()) {
            List<Map<String, Object>> words = new ArrayList<>();
            for (Word w : t.words()) {
                Map<String, Object> wm = new LinkedHashMap<>();
                wm.put("word", w.text().strip());
                wm.put("start", w.startMs() / 1000.0);
                wm.put("end", w.endMs() / 1000.0);
                words.add(wm);
            }
            m.put("words", words);
        }
        return m;
    }

    private static Map<String, Object> segment(Segment s, float temperature) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Integer> tokens = new ArrayList<>();
        double logprob = 0;
        for (Token k : s.tokens()) {
            if (!k.special()) {
                tokens.add(k.id());
                logprob += Math.log(Math.max(k.probability(), 1e-10f));
            }
        }
        m.put("id", s.index());
        m.put("seek", s.startMs() / 10); // whisper's seek counts 10 ms mel frames
        m.put("start", s.startMs() / 1000.0);
        m.put("end", s.endMs() / 1000.0);
        m.put("text", s.text());
        m.put("tokens", tokens);
        m.put("temperature", temperature);
        m.put("avg_logprob", tokens.isEmpty() ? 0.0 : logprob / tokens.size());
        m.put("compression_ratio", s.compressionRatio());
        m.put("no_speech_prob", s.noSpeechProbability());
        return m;
    }

    /** OpenAI's error body. */
    static Map<String, Object> error(ApiException e) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("message", e.getMessage());
        inner.put("type", e.type);
        inner.put("param", e.param);
        inner.put("code", e.code);
        return Map.of("error", inner);
    }
}
