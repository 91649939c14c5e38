package io.github.whisperjava.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.whisperjava.LivePartial;
import io.github.whisperjava.LiveUtterance;
import io.github.whisperjava.WhisperException;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code live --json}: one JSON object per line per event, named as {@code LiveListener}'s methods
 * (speech_started, partial, speech_stopped, committed, final, error), times in milliseconds of the stream.
 * Jackson comes with the server module, which the CLI jar already holds.
 */
final class LiveJson implements LiveOutput {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final boolean partials;
    private final AtomicInteger errors = new AtomicInteger();

    LiveJson(PrintStream out, boolean partials) {
        this.out = out;
        this.partials = partials;
    }

    @Override
    public void onSpeechStarted(int utterance, long startMs) {
        print(event("speech_started", utterance).put("startMs", startMs));
    }

    @Override
    public void onPartial(LivePartial p) {
        if (partials) {
            print(event("partial", p.utterance()).put("startMs", p.startMs()).put("endMs", p.endMs())
                    .put("stableText", p.stableText()).put("unstableText", p.unstableText()));
        }
    }

    @Override
    public void onSpeechStopped(int utterance, long endMs) {
        print(event("speech_stopped", utterance).put("endMs", endMs));
    }

    @Override
    public void onCommitted(int utterance, long startMs, long endMs) {
        print(event("committed", utterance).put("startMs", startMs).put("endMs", endMs));
    }

    @Override
    public void onFinal(LiveUtterance u) {
        print(event("final", u.utterance()).put("startMs", u.startMs()).put("endMs", u.endMs())
                .put("text", u.text().strip()).put("language", u.transcript().language()));
    }

    @Override
    public void onError(WhisperException e) {
        errors.incrementAndGet();
        ObjectNode o = JSON.createObjectNode().put("event", "error").put("message", TranscribeCli.oneLine(e));
        print(o);
    }

    @Override
    public int errors() {
        return errors.get();
    }

    private static ObjectNode event(String name, int utterance) {
        return JSON.createObjectNode().put("event", name).put("utterance", utterance);
    }

    private void print(ObjectNode o) {
        out.println(o.toString());
        out.flush();
    }
}
