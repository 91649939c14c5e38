package io.github.whisperjava.examples.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** audio_url's fetcher against a loopback file server: every refusal, redirects, slow and oversized downloads. */
class ServiceFetchTest {
    static HttpServer files;
    static String base;
    static final byte[] AUDIO = new byte[100_000];

    @BeforeAll
    static void startFileServer() throws Exception {
        files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        files.createContext("/audio.wav", ex -> {
            ex.sendResponseHeaders(200, AUDIO.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(AUDIO);
            }
        });
        files.createContext("/chunked", ex -> { // no Content-Length: the cap must count bytes
            ex.sendResponseHeaders(200, 0);
            try (OutputStream o = ex.getResponseBody()) {
                for (int i = 0; i < 10; i++) {
                    o.write(AUDIO);
                }
            }
        });
        files.createContext("/slow", ex -> {
            ex.sendResponseHeaders(200, 1000);
            try (OutputStream o = ex.getResponseBody()) {
                for (int i = 0; i < 1000; i++) {
                    o.write(0);
                    o.flush();
                    Thread.sleep(200);
                }
            } catch (Exception ignored) {
                // the fetcher hung up: expected
            }
        });
        files.createContext("/redirect", ex -> { // /redirect/N -> /redirect/N-1 ... /redirect/0 -> /audio.wav
            int n = Integer.parseInt(ex.getRequestURI().getPath().substring("/redirect/".length()));
            ex.getResponseHeaders().set("Location", n == 0 ? "/audio.wav" : "/redirect/" + (n - 1));
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        files.createContext("/to-metadata", ex -> {
            ex.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data/");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        files.createContext("/to-other-port", ex -> {
            ex.getResponseHeaders().set("Location", "http://127.0.0.1:1/secret");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        files.createContext("/cookie", ex -> {
            String cookie = ex.getRequestHeaders().getFirst("Cookie");
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            byte[] b = ("cookie=" + cookie + " auth=" + auth).getBytes();
            ex.getResponseHeaders().set("Set-Cookie", "s=1");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        files.start();
        base = "http://127.0.0.1:" + files.getAddress().getPort() + "/";
    }

    @AfterAll
    static void stop() {
        files.stop(0);
    }

    static AudioUrlFetcher fetcher(FetchPolicy p) {
        return new AudioUrlFetcher(p);
    }

    static ApiException refused(AudioUrlFetcher f, String url) {
        return assertThrows(ApiException.class, () -> f.fetch(url), url);
    }

    @Test
    void refusesWhatIsNotPublicInEverySpellingWithoutConnecting() {
        int port = files.getAddress().getPort();
        try (AudioUrlFetcher f = fetcher(FetchPolicy.defaults())) {
            for (String host : List.of("127.0.0.1", "localhost", "localhost.", "127.1", "2130706433", "0x7f.0.0.1",
                    "0177.0.0.1", "127.0.0.1.", "[::1]", "[::ffff:127.0.0.1]", "0.0.0.0", "10.0.0.1", "192.168.0.1",
                    "169.254.169.254", "[fe80::1]", "[fc00::1]", "224.0.0.1")) {
                ApiException e = refused(f, "http://" + host + ":" + port + "/audio.wav");
                assertEquals(400, e.status, host + ": " + e.getMessage());
                assertEquals("audio_url", e.param, host);
            }
            for (String url : List.of("file:///etc/passwd", "ftp://example.com/a.wav", "gopher://x/", "http://user:pw@"
                    + "example.com/a.wav", "not a url", "http:///nohost")) {
                assertEquals(400, refused(f, url).status, url);
            }
        }
    }

    @Test
    void theAllowlistOpensOnlyItsPrefixAndEveryRedirectIsCheckedAgain() {
        try (AudioUrlFetcher f = fetcher(FetchPolicy.defaults().withAllowedPrefixes(List.of(base)))) {
            assertArrayEquals(AUDIO, f.fetch(base + "audio.wav"));
            assertArrayEquals(AUDIO, f.fetch(base + "redirect/2")); // three redirects: allowed
            ApiException tooMany = refused(f, base + "redirect/3");
            assertTrue(tooMany.getMessage().contains("redirected more than 3"), tooMany.getMessage());
            ApiException metadata = refused(f, base + "to-metadata");
            assertTrue(metadata.getMessage().contains("link-local"), metadata.getMessage());
            ApiException otherPort = refused(f, base + "to-other-port"); // loopback, but outside the prefix
            assertTrue(otherPort.getMessage().contains("loopback"), otherPort.getMessage());
            String echoed = new String(f.fetch(base + "cookie"));
            assertEquals("cookie=null auth=null", new String(f.fetch(base + "cookie")), echoed);
        }
    }

    @Test
    void oversizedDownloadsAre413DeclaredOrNot() {
        FetchPolicy small = FetchPolicy.defaults().withAllowedPrefixes(List.of(base))
                .withLimits(50_000, Duration.ofSeconds(5), Duration.ofSeconds(10));
        try (AudioUrlFetcher f = fetcher(small)) {
            assertEquals(413, refused(f, base + "audio.wav").status);
            assertEquals(413, refused(f, base + "chunked").status);
        }
    }

    @Test
    void slowDownloadsAreCutOffAt504() {
        FetchPolicy quick = FetchPolicy.defaults().withAllowedPrefixes(List.of(base))
                .withLimits(1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(1));
        try (AudioUrlFetcher f = fetcher(quick)) {
            long t0 = System.nanoTime();
            ApiException e = refused(f, base + "slow");
            assertEquals(504, e.status, e.getMessage());
            assertTrue(System.nanoTime() - t0 < 5e9, "the total timeout did not cut the trickle off");
        }
    }
}
