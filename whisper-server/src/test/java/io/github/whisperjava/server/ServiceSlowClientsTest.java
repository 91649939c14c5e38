package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three hundred clients that each announce a 1 MB body and send it a byte a second (more than Jetty's
 * 200 threads) hold connections, not threads: {@code /health} answers within a second and a real
 * transcription is served while they trickle.
 */
class ServiceSlowClientsTest {
    private static final int TRICKLERS = 300;

    @Test
    void threeHundredTricklersLeaveHealthAndARealRequestTheirThreads() throws Exception {
        List<Socket> tricklers = new ArrayList<>();
        try (TranscriptionServer server = ServiceFixture.start(ServiceConfig.defaults().withConcurrency(1))) {
            byte[] head = ("POST /transcribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: audio/wav\r\n"
                    + "Content-Length: 1000000\r\n\r\nRIFF").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < TRICKLERS; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write(head);
                s.getOutputStream().flush();
                tricklers.add(s);
            }
            Thread trickle = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (Socket s : tricklers) {
                        try {
                            OutputStream out = s.getOutputStream();
                            out.write(0);
                            out.flush();
                        } catch (IOException e) {
                            // the server cut this one off: the others go on
                        }
                    }
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "trickle");
            trickle.setDaemon(true);
            trickle.start();
            Thread.sleep(2_000); // every trickler's request has reached the server

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(ServiceFixture.url(server, "/health")))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode());
                Thread.sleep(300);
            }
            HttpResponse<String> real = http.send(HttpRequest.newBuilder(URI.create(ServiceFixture.url(server, "/transcribe")))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "audio/wav")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ServiceFixture.jfk())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, real.statusCode(), real.body());
            assertTrue(real.body().contains("\"segments\""), real.body());
            trickle.interrupt();
        } finally {
            for (Socket s : tricklers) {
                s.close();
            }
        }
    }
}
