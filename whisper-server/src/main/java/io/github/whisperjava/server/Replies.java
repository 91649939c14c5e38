package io.github.whisperjava.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes the service's answers: JSON, text, and OpenAI-shaped errors. */
final class Replies {
    static final ObjectMapper JSON = new ObjectMapper();

    private Replies() {}

    static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        send(resp, status, "application/json", JSON.writeValueAsBytes(body));
    }

    static void text(HttpServletResponse resp, int status, String contentType, String body) throws IOException {
        send(resp, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static void error(HttpServletResponse resp, ApiException e) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        if (e.status == 413) {
            // the body was left unread: say so, or a client reuses a connection the server is closing
            resp.setHeader("Connection", "close");
        }
        if (e.retryAfterSeconds > 0) {
            resp.setHeader("Retry-After", Integer.toString(e.retryAfterSeconds));
        }
        json(resp, e.status, ResponseBodies.error(e));
    }

    /** A header carries printable ASCII only: anything else in a free-text value becomes '?'. */
    static String headerValue(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.chars().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return b.toString();
    }

    private static void send(HttpServletResponse resp, int status, String contentType, byte[] bytes) throws IOException {
        resp.setStatus(status);
        resp.setContentType(contentType);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
