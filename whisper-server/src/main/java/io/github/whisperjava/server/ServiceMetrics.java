package io.github.whisperjava.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Counters for {@code GET /metrics}, in Prometheus' text format: requests by route and status, a latency
 * histogram, and (read at scrape time) queue depth, busy states, open Realtime sessions and the loaded model.
 */
final class ServiceMetrics {
    private static final double[] BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder[] buckets = new LongAdder[BUCKETS.length + 1];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();

    private final IntSupplier realtimeSessions;

    ServiceMetrics(IntSupplier realtimeSessions) {
        this.realtimeSessions = realtimeSessions;
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(String route, int status, long nanos) {
        requests.computeIfAbsent("route=\"" + route + "\",status=\"" + status + "\"", k -> new LongAdder()).increment();
        if (!route.equals("/metrics") && !route.equals("/health") && !route.equals("/ready")) {
            double seconds = nanos / 1e9;
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            buckets[i].increment();
            count.increment();
            sumMicros.add(nanos / 1000);
        }
    }

    String render(Transcriber t, String model, String type) {
        StringBuilder b = new StringBuilder();
        b.append("# HELP whisper_http_requests_total HTTP requests answered, by route and status.\n");
        b.append("# TYPE whisper_http_requests_total counter\n");
        new TreeMap<>(requests).forEach((labels, n) ->
                b.append("whisper_http_requests_total{").append(labels).append("} ").append(n.sum()).append('\n'));
        b.append("# HELP whisper_request_duration_seconds Time to answer a transcription request.\n");
        b.append("# TYPE whisper_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += buckets[i].sum();
            b.append("whisper_request_duration_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ")
                    .append(cumulative).append('\n');
        }
        cumulative += buckets[BUCKETS.length].sum();
        b.append("whisper_request_duration_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        b.append("whisper_request_duration_seconds_sum ").append(sumMicros.sum() / 1e6).append('\n');
        b.append("whisper_request_duration_seconds_count ").append(count.sum()).append('\n');
        gauge(b, "whisper_queue_depth", "Requests waiting for a whisper state.", t.queued());
        gauge(b, "whisper_states_busy", "Whisper states transcribing now.", t.busy());
        gauge(b, "whisper_realtime_sessions", "Realtime WebSocket sessions open.", realtimeSessions.getAsInt());
        gauge(b, "whisper_states", "Whisper states (transcriptions that can run at once).", t.states());
        b.append("# HELP whisper_model_info The loaded model.\n# TYPE whisper_model_info gauge\n");
        b.append("whisper_model_info{model=\"").append(escape(model)).append("\",type=\"").append(escape(type))
                .append("\"} 1\n");
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
