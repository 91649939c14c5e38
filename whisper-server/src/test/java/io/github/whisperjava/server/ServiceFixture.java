package io.github.whisperjava.server;

import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;
import java.util.UUID;

/** A service on loopback with the tiny for-tests model, and what the tests send it. */
final class ServiceFixture {
    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"));
    static final Path TINY = SHARED.resolve("models/for-tests-ggml-tiny.bin");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The library's encoded fixtures (whisper-java/src/test/resources/audio: jfk.mp3, jfk.flac, jfk.ogg, unsupported.*). */
    static final Path AUDIO = Paths.get(System.getProperty("whisper.audio.fixtures",
            "../whisper-java/src/test/resources/audio"));

    private ServiceFixture() {}

    static TranscriptionServer start(ServiceConfig config) {
        Whisper w = Whisper.load(TINY, ModelOptions.defaults().withConcurrency(config.concurrency()));
        return TranscriptionServer.listen(config, "127.0.0.1", 0).serve(w);
    }

    static byte[] jfk() throws Exception {
        return Files.readAllBytes(SHARED.resolve("audio/jfk.wav"));
    }

    /** A 16 kHz mono 16-bit WAV of {@code seconds} of quiet noise: long work for the encoder. */
    static byte[] noiseWav(int seconds) {
        int n = seconds * 16_000;
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(2 * n);
        Random r = new Random(1);
        for (int i = 0; i < n; i++) {
            b.putShort((short) (r.nextGaussian() * 300));
        }
        return b.array();
    }

    static String url(TranscriptionServer s, String path) {
        return "http://127.0.0.1:" + s.port() + path;
    }

    static HttpResponse<String> get(TranscriptionServer s, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(s, path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postJson(TranscriptionServer s, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(s, path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postRaw(TranscriptionServer s, String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(s, path))).header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A POST's headers only, announcing {@code contentLength} bytes that are never sent, and the answer
     * the server gives before any of them arrive (head and body, read until it closes or 10 s pass).
     * This is how a 413 "before the body is read" is seen without a race: a client that writes a large
     * body while the server answers and closes can hit a broken pipe before it reads the 413.
     */
    static String headersOnly(TranscriptionServer s, String path, String contentType, long contentLength)
            throws Exception {
        return exchange(s, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + contentLength + "\r\n\r\n", null);
    }

    static byte[] audio(String name) throws Exception {
        return Files.readAllBytes(AUDIO.resolve(name));
    }

    /**
     * Writes {@code head} on a new connection, then {@code body} (may be null), and returns all the
     * server answers until it closes the connection or 10 s pass.
     */
    static String exchange(TranscriptionServer s, String head, byte[] body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            try {
                if (body != null) {
                    socket.getOutputStream().write(body);
                }
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                // the server answered and closed before taking the whole body: read what it said
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = socket.getInputStream().read(buf)) > 0; ) {
                    answer.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // a server that keeps the connection open: what came is the answer
            } catch (SocketException e) {
                if (answer.size() == 0) {
                    throw e; // a reset before any answer is the failure itself
                } // a reset after the answer (unread body left behind): what came is the answer
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /** A multipart/form-data POST with {@code file} and the given fields (name, value, name, value, ...). */
    static HttpResponse<String> postForm(TranscriptionServer s, String path, byte[] file, String... fields)
            throws Exception {
        return postForm(s, path, "a.wav", file, fields);
    }

    /** The same, the file uploaded under {@code fileName} (the service reads the format from the bytes). */
    static HttpResponse<String> postForm(TranscriptionServer s, String path, String fileName, byte[] file,
            String... fields) throws Exception {
        String boundary = UUID.randomUUID().toString();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n"
                    + fields[i + 1] + "\r\n").getBytes());
        }
        if (file != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes());
            body.writeBytes(file);
            body.writeBytes("\r\n".getBytes());
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes());
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(s, path)))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
