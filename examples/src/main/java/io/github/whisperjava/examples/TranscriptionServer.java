package io.github.whisperjava.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.whisperjava.AudioFormatException;
import io.github.whisperjava.AudioTooLongException;
import io.github.whisperjava.ModelBusyException;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Segment;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.WhisperException;
import io.github.whisperjava.models.ModelResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A transcription service: one model loaded at start, shared by every request.
 *
 * <pre>
 * java -cp examples/target/transcribe.jar io.github.whisperjava.examples.TranscriptionServer [--port 8080] [--concurrency N]
 * curl --data-binary @call.wav 'http://localhost:8080/v1/transcribe?language=en&fit_window=true'
 * curl --data-binary @call.wav 'http://localhost:8080/v1/transcribe?vad=true&vad_threshold=0.5'
 * </pre>
 *
 * The model comes from the environment (WHISPER_MODEL_SIZE, ...). {@code POST /v1/transcribe} takes a
 * WAV body and answers JSON (text, language, segments); {@code GET /health} names the model. Errors:
 * 400 unreadable audio or bad parameter, 413 body or audio duration over the limit, 503 every state busy past the queue
 * timeout, 504 past the request timeout.
 */
public final class TranscriptionServer implements AutoCloseable {
    static final int MAX_BODY = 64 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Whisper whisper;
    private final HttpServer http;
    private final ExecutorService workers;
    private final Duration requestTimeout;

    public TranscriptionServer(Whisper whisper, InetSocketAddress address, int concurrency, Duration requestTimeout)
            throws IOException {
        this.whisper = whisper;
        this.requestTimeout = requestTimeout;
        this.workers = Executors.newFixedThreadPool(concurrency * 2);
        this.http = HttpServer.create(address, 64);
        http.createContext("/v1/transcribe", this::transcribe);
        http.createContext("/health", this::health);
        http.setExecutor(workers);
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public static void main(String[] args) throws Exception {
        int port = 8080;
        int concurrency = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Whisper whisper = Whisper.load(ModelResolver.fromEnvironment().resolve(),
                ModelOptions.defaults().withConcurrency(concurrency));
        TranscriptionServer server = new TranscriptionServer(whisper, new InetSocketAddress(port), concurrency,
                Duration.ofMinutes(5));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.err.println("listening on :" + server.port() + " with " + whisper.modelPath().getFileName()
                + " (" + whisper.source() + ")");
    }

    private void health(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", whisper.modelPath().getFileName().toString());
            body.put("type", whisper.info().type());
            body.put("closed", whisper.isClosed());
            send(ex, whisper.isClosed() ? 503 : 200, body);
        }
    }

    private void transcribe(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                send(ex, 405, Map.of("error", "POST a WAV file"));
                return;
            }
            byte[] wav = readBody(ex.getRequestBody());
            if (wav == null) {
                send(ex, 413, Map.of("error", "body larger than " + (MAX_BODY >> 20) + " MiB"));
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            try {
                TranscribeParams p = TranscribeParams.builder()
                        .language(q.getOrDefault("language", "en"))
                        .encoderWindow(flag(q, "fit_window") ? io.github.whisperjava.EncoderWindow.FIT_AUDIO
                                : io.github.whisperjava.EncoderWindow.FULL)
                        .vad(flag(q, "vad") || q.containsKey("vad_threshold") ? vadOptions(q) : null)
                        .timeout(requestTimeout)
                        .queueTimeout(Duration.ofSeconds(30))
                        .build();
                // WAV, MP3, FLAC or Ogg Vorbis, told apart by content
                Transcript t = whisper.transcribe(wav, p, null);
                send(ex, 200, json(t));
            } catch (AudioTooLongException e) {
                send(ex, 413, Map.of("error", e.getMessage()));
            } catch (AudioFormatException | IllegalArgumentException e) {
                send(ex, 400, Map.of("error", e.getMessage()));
            } catch (ModelBusyException e) {
                send(ex, 503, Map.of("error", e.getMessage()));
            } catch (CancellationException e) {
                send(ex, 504, Map.of("error", String.valueOf(e.getMessage())));
            } catch (IllegalStateException e) {
                send(ex, 503, Map.of("error", "shutting down"));
            } catch (WhisperException e) {
                // e.g. not enough heap for the audio: the client gets the reason, never an empty reply
                send(ex, 500, Map.of("error", e.getMessage()));
            }
        }
    }

    static Map<String, Object> json(Transcript t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", t.text());
        m.put("language", t.language());
        m.put("duration_ms", t.audioDurationMs());
        m.put("encoder_positions", t.encoderPositions());
        if (t.fellBackToFullWindow()) {
            m.put("window_fallback", t.windowFallback());
        }
        m.put("segments", t.segments().stream().map(TranscriptionServer::segment).toList());
        Map<String, Object> phases = new LinkedHashMap<>();
        phases.put("vad", t.timings().vadMs());
        phases.put("mel", t.timings().melMs());
        phases.put("encode", t.timings().encodeMs());
        phases.put("decode", t.timings().decodeMs() + t.timings().batchDecodeMs() + t.timings().promptMs());
        phases.put("sample", t.timings().sampleMs());
        m.put("timings_ms", phases);
        return m;
    }

    private static Map<String, Object> segment(Segment s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start_ms", s.startMs());
        m.put("end_ms", s.endMs());
        m.put("text", s.text().strip());
        return m;
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        return b.length > MAX_BODY ? null : b;
    }

    /** A boolean query parameter: present and not false/0/no. */
    /** VAD with whisper.cpp's defaults, and vad_threshold if given; the model from WHISPER_VAD_MODEL or the catalogue. */
    private static io.github.whisperjava.VadOptions vadOptions(Map<String, String> q) {
        io.github.whisperjava.VadOptions v = io.github.whisperjava.VadOptions.DEFAULTS;
        String t = q.get("vad_threshold");
        if (t != null) {
            try {
                v = v.withThreshold(Float.parseFloat(t));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("vad_threshold must be a number such as 0.5, got " + t);
            }
        }
        return v;
    }

    private static boolean flag(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null) {
            return false;
        }
        if (v.isEmpty() || v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes")) {
            return true;
        }
        if (v.equals("0") || v.equalsIgnoreCase("false") || v.equalsIgnoreCase("no")) {
            return false;
        }
        throw new IllegalArgumentException(name + " must be true or false, got \"" + v + "\"");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** Stops accepting, lets running requests finish, closes the model. */
    @Override
    public void close() {
        http.stop(1);
        whisper.close();
        workers.shutdown();
    }
}
