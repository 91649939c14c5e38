package io.github.whisperjava.server;

import io.github.whisperjava.Segment;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.TranscriptionListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transcription answered as OpenAI's stream ({@code stream=true}): Server-Sent Events with data lines
 * only, {@code transcript.text.delta} for each segment with text as whisper finalises it, then
 * {@code transcript.text.done} with the whole text, which the deltas add up to exactly. The 200 and its headers go out with the first event,
 * so a request refused before any text exists still gets its ordinary status and JSON error; after
 * that, an error can only be an event ({@code {"type":"error","error":{...}}}, which OpenAI's SDKs
 * raise as an exception) and the end of the stream.
 */
final class TranscriptEventStream implements TranscriptionListener {
    private final HttpServletResponse resp;
    private final Cancellation cancellation;
    private boolean started;
    private boolean broken;
    /** Whether a delta went out; whisper's first segment starts with a space that done's text has not. */
    private boolean texted;
    /** Trailing spaces of what came so far: sent only before more text, as done's trimmed text has them. */
    private final StringBuilder held = new StringBuilder();

    TranscriptEventStream(HttpServletResponse resp, Cancellation cancellation) {
        this.resp = resp;
        this.cancellation = cancellation;
    }

    /** Whether the 200 went out: from then on errors are events. */
    boolean started() {
        return started;
    }

    @Override
    public void onSegment(Segment segment) {
        // called on the transcribing thread, between whisper's decoder steps: a client that reads slowly
        // holds its whisper state for as long as Jetty's idle timeout lets the write wait
        // the deltas must add up to done's text, which is the segments joined and trimmed (Transcript.text):
        // the first delta loses its leading spaces, and each delta's trailing ones wait for text to follow
        String text = held + segment.text();
        held.setLength(0);
        int from = 0;
        if (!texted) {
            while (from < text.length() && text.charAt(from) <= ' ') {
                from++;
            }
        }
        int to = text.length();
        while (to > from && text.charAt(to - 1) <= ' ') {
            to--;
        }
        held.append(text, to, text.length());
        if (to == from) {
            return;
        }
        texted = true;
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "transcript.text.delta");
        event.put("delta", text.substring(from, to));
        send(event);
    }

    void done(Transcript t) throws IOException {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "transcript.text.done");
        event.put("text", t.text());
        send(event);
        if (broken) {
            throw new IOException("the client left before the stream ended");
        }
    }

    void error(ApiException e) {
        Map<String, Object> event = new LinkedHashMap<>(ResponseBodies.error(e));
        event.put("type", "error");
        send(event);
    }

    private void send(Map<String, Object> event) {
        if (broken) {
            return;
        }
        try {
            if (!started) {
                resp.setStatus(200);
                resp.setContentType("text/event-stream");
                resp.setCharacterEncoding("utf-8");
                resp.setHeader("Cache-Control", "no-cache");
                started = true;
            }
            byte[] json = Replies.JSON.writeValueAsBytes(event);
            var out = resp.getOutputStream();
            out.write("data: ".getBytes(StandardCharsets.US_ASCII));
            out.write(json); // JSON has no raw newline: one data line per event
            out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException | RuntimeException e) {
            // the client hung up: stop decoding for nobody (never throw into whisper's callback)
            broken = true;
            cancellation.cancel(Cancellation.Reason.CLIENT_GONE);
        }
    }
}
