package io.github.whisperjava.server;

import io.github.whisperjava.LiveBufferFullException;
import io.github.whisperjava.LiveListener;
import io.github.whisperjava.LivePartial;
import io.github.whisperjava.LiveUtterance;
import io.github.whisperjava.WhisperException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One session's server events in OpenAI's Realtime shapes: the live transcription's events (speech
 * started and stopped, buffer committed, transcription delta and completed, errors) and the session's
 * own (created, updated, cleared). Utterance {@code n} is item {@code item_<session>_<n>}.
 *
 * <p>Deltas: OpenAI's are increments of the text. A partial's stable text only grows, so each growth is
 * sent as a delta while the utterance is spoken; at the final, what the final adds to it is the last
 * delta. Should the final not begin with what was sent (whisper decoding the whole utterance once more
 * may word its start differently), no further delta is sent: {@code completed}'s transcript is the text.
 */
final class RealtimeEvents implements LiveListener {
    private final String tag;
    private final Consumer<Map<String, Object>> send;
    /** The text sent as deltas, per utterance not yet completed; the worker thread's alone. */
    private final Map<Integer, String> sent = new HashMap<>();
    private String lastCommitted; // the worker thread's alone
    private final AtomicLong events = new AtomicLong();

    /** @param send writes one event (in call order) */
    RealtimeEvents(String tag, Consumer<Map<String, Object>> send) {
        this.tag = tag;
        this.send = send;
    }

    String itemId(int utterance) {
        return "item_" + tag + "_" + utterance;
    }

    @Override
    public void onSpeechStarted(int utterance, long startMs) {
        Map<String, Object> e = event("input_audio_buffer.speech_started");
        e.put("audio_start_ms", startMs);
        e.put("item_id", itemId(utterance));
        send.accept(e);
    }

    @Override
    public void onSpeechStopped(int utterance, long endMs) {
        Map<String, Object> e = event("input_audio_buffer.speech_stopped");
        e.put("audio_end_ms", endMs);
        e.put("item_id", itemId(utterance));
        send.accept(e);
    }

    @Override
    public void onCommitted(int utterance, long startMs, long endMs) {
        Map<String, Object> e = event("input_audio_buffer.committed");
        e.put("previous_item_id", lastCommitted);
        e.put("item_id", itemId(utterance));
        lastCommitted = itemId(utterance);
        send.accept(e);
    }

    @Override
    public void onPartial(LivePartial partial) {
        String before = sent.getOrDefault(partial.utterance(), "");
        // a partial's text keeps the space whisper starts a segment with; the final's text (Transcript.text)
        // is trimmed, and what was sent must stay a prefix of it
        String stable = stripLeading(partial.stableText());
        if (stable.length() > before.length() && stable.startsWith(before)) {
            delta(partial.utterance(), stable.substring(before.length()));
            sent.put(partial.utterance(), stable);
        }
    }

    @Override
    public void onFinal(LiveUtterance utterance) {
        String before = sent.remove(utterance.utterance());
        String text = utterance.text();
        String head = before == null ? "" : before;
        if (text.length() > head.length() && text.startsWith(head)) {
            delta(utterance.utterance(), text.substring(head.length()));
        }
        Map<String, Object> e = event("conversation.item.input_audio_transcription.completed");
        e.put("item_id", itemId(utterance.utterance()));
        e.put("content_index", 0);
        e.put("transcript", text);
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("type", "duration"); // whisper-1's usage at OpenAI: seconds of audio, not tokens
        usage.put("seconds", (utterance.endMs() - utterance.startMs()) / 1000.0);
        e.put("usage", usage);
        send.accept(e);
    }

    @Override
    public void onError(WhisperException error) {
        if (error instanceof LiveBufferFullException full) {
            error(ApiException.tooLarge("audio", full.getMessage()), null, "input_audio_buffer_full");
        } else {
            error(ApiException.internal(error.getMessage()), null, "transcription_failed");
        }
    }

    /** Without the leading characters that String.trim (so Transcript.text) removes. */
    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) <= ' ') {
            i++;
        }
        return s.substring(i);
    }

    private void delta(int utterance, String text) {
        Map<String, Object> e = event("conversation.item.input_audio_transcription.delta");
        e.put("item_id", itemId(utterance));
        e.put("content_index", 0);
        e.put("delta", text);
        send.accept(e);
    }

    void session(boolean created, RealtimeSettings settings, String model) {
        Map<String, Object> e = event(created ? "session.created" : "session.updated");
        e.put("session", settings.json("sess_" + tag, model));
        send.accept(e);
    }

    void cleared() {
        send.accept(event("input_audio_buffer.cleared"));
    }

    /**
     * OpenAI's error event; the session goes on.
     *
     * @param clientEventId the client event that caused it, or null
     * @param code this service's code, or null for the exception's own
     */
    void error(ApiException failure, String clientEventId, String code) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("type", failure.type);
        inner.put("code", code != null ? code : failure.code);
        inner.put("message", failure.getMessage());
        inner.put("param", failure.param);
        inner.put("event_id", clientEventId);
        Map<String, Object> e = event("error");
        e.put("error", inner);
        send.accept(e);
    }

    private Map<String, Object> event(String type) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", "event_" + tag + "_" + events.incrementAndGet());
        e.put("type", type);
        return e;
    }
}
