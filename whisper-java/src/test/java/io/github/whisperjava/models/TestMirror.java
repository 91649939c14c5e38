package io.github.whisperjava.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model mirror on 127.0.0.1 for tests: serves files by name, honours Range, and can misbehave
 * on purpose (drop a connection half-way, stall, omit or falsify checksums, advertise X-Linked-Etag).
 */
final class TestMirror implements AutoCloseable {
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final Map<String, String> sidecars = new ConcurrentHashMap<>();
    final Map<String, String> etags = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger dropFirstRequests = new AtomicInteger();
    volatile long stallMillis;
    /** Answer this many requests for a {@code .sha256} sidecar with 503 before serving it. */
    final AtomicInteger failSidecarRequests = new AtomicInteger();
    /** When set, each request records this file's length as it arrives (-1: absent), in request order. */
    volatile Path watchedPart;
    final List<Long> partLengthAtRequest = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-mirror");
        t.setDaemon(true);
        return t;
    });

    TestMirror() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/models";
    }

    /** Serves {@code bytes} as {@code name} with a correct {@code name.sha256} beside it. */
    TestMirror serve(String name, byte[] bytes) {
        files.put(name, bytes);
        sidecars.put(name + ".sha256", sha256(bytes) + "  " + name + "\n");
        return this;
    }

    long fileRequests(String name) {
        return requests.stream().filter(r -> r.startsWith("GET /models/" + name + " ")).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().replaceFirst("^/models/", "");
        String range = ex.getRequestHeaders().getFirst("Range");
        Path part = watchedPart;
        if (part != null && files.containsKey(name)) {
            partLengthAtRequest.add(Files.exists(part) ? Files.size(part) : -1L);
        }
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " range=" + range);
        try (ex) {
            String side = sidecars.get(name);
            if (side != null && failSidecarRequests.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ex.sendResponseHeaders(503, -1);
                return;
            }
            if (side != null) {
                byte[] b = side.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                return;
            }
            byte[] body = files.get(name);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            String etag = etags.get(name);
            if (etag != null) {
                ex.getResponseHeaders().add("X-Linked-Etag", "\"" + etag + "\"");
            }
            int from = 0;
            if (range != null && range.startsWith("bytes=")) {
                from = Integer.parseInt(range.substring(6, range.indexOf('-')));
                if (from >= body.length) {
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                ex.sendResponseHeaders(206, body.length - from);
            } else {
                ex.sendResponseHeaders(200, body.length);
            }
            OutputStream out = ex.getResponseBody();
            int len = body.length - from;
            if (dropFirstRequests.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                out.write(body, from, len / 2);
                out.flush();
                // Closing leaves the client short of Content-Length: a dropped connection. How many of
                // the written bytes the client has stored by then is up to socket buffers and the
                // scheduler; when a part file is watched, drop only once it holds some of them, so that
                // the resume is always a Range request (tests must not depend on how many bytes).
                waitForNonEmpty(part);
                return;
            }
            if (stallMillis > 0) {
                out.write(body, from, Math.min(1000, len));
                out.flush();
                sleep(stallMillis);
                return;
            }
            out.write(body, from, len);
        }
    }

    private static void waitForNonEmpty(Path file) throws IOException {
        for (int i = 0; file != null && i < 3000 && !(Files.exists(file) && Files.size(file) > 0); i++) {
            sleep(10);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
