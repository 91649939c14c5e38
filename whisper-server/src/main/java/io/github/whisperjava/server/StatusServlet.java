package io.github.whisperjava.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health} (the process answers), {@code /ready} (the model is loaded and serving), {@code /metrics}. */
final class StatusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient ServiceState state;
    private final transient ServiceMetrics metrics;

    StatusServlet(ServiceState state, ServiceMetrics metrics) {
        this.state = state;
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long start = System.nanoTime();
        String route = req.getServletPath();
        switch (route) {
            case "/health" -> Replies.json(resp, 200, Map.of("status", "ok"));
            case "/ready" -> {
                Transcriber t = state.transcriberOrNull();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", state.ready() ? "ready" : t == null ? "loading" : "stopping");
                if (t != null) {
                    body.put("model", ModelName.of(t.whisper()));
                }
                Replies.json(resp, state.ready() ? 200 : 503, body);
            }
            default -> {
                Transcriber t = state.transcriberOrNull();
                String text = t == null ? "# the model is loading\n"
                        : metrics.render(t, ModelName.of(t.whisper()), t.whisper().info().type());
                Replies.text(resp, 200, "text/plain; version=0.0.4; charset=utf-8", text);
            }
        }
        metrics.record(route, resp.getStatus(), System.nanoTime() - start);
    }
}
