package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * audio_url's fetcher against a loopback file server: every refusal, redirects, slow, silent and oversized
 * downloads, the pinned address, and the operator's switches.
 */
class ServiceFetchTest {
    static HttpServer files;
    static String base;
    static final byte[] AUDIO = new byte[100_000];
    /** Released when the tests end: the stalling handlers hold their connections until then. */
    static final CountDownLatch STALLS = new CountDownLatch(1);

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
        files.createContext("/to-malformed", ex -> { // a Location no URI parser takes
            ex.getResponseHeaders().set("Location", "http://[::1/x y");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        files.createContext("/to-other-port", ex -> {
            ex.getResponseHeaders().set("Location", "http://127.0.0.1:1/secret");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        files.createContext("/host", ex -> { // which Host the request named
            byte[] b = String.valueOf(ex.getRequestHeaders().getFirst("Host")).getBytes();
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        files.createContext("/stall-body", ex -> { // headers, then not a byte of the promised body
            ex.sendResponseHeaders(200, 1000);
            try {
                STALLS.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // stopping
            }
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
        files.setExecutor(Executors.newCachedThreadPool()); // a stalling handler must not hold the others up
        files.start();
        base = "http://127.0.0.1:" + files.getAddress().getPort() + "/";
    }

    @AfterAll
    static void stop() {
        STALLS.countDown();
        files.stop(0);
    }

    static AudioUrlFetcher fetcher(FetchPolicy p) {
        return new AudioUrlFetcher(p);
    }

    static ApiException refused(AudioUrlFetcher f, String url) {
        return assertThrows(ApiException.class, () -> fetch(f, url), url);
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
            assertArrayEquals(AUDIO, fetch(f, base + "audio.wav"));
            assertArrayEquals(AUDIO, fetch(f, base + "redirect/2")); // three redirects: allowed
            ApiException tooMany = refused(f, base + "redirect/3");
            assertTrue(tooMany.getMessage().contains("redirected more than 3"), tooMany.getMessage());
            ApiException metadata = refused(f, base + "to-metadata");
            assertTrue(metadata.getMessage().contains("link-local"), metadata.getMessage());
            ApiException malformed = refused(f, base + "to-malformed"); // was a 500 with a stack trace
            assertEquals(502, malformed.status, malformed.getMessage());
            assertTrue(malformed.getMessage().contains("malformed Location"), malformed.getMessage());
            ApiException otherPort = refused(f, base + "to-other-port"); // loopback, but outside the prefix
            assertTrue(otherPort.getMessage().contains("loopback"), otherPort.getMessage());
            String echoed = new String(fetch(f, base + "cookie"));
            assertEquals("cookie=null auth=null", new String(fetch(f, base + "cookie")), echoed);
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

    @Test
    void theResolverAnswersOnlyForCheckedRequests() throws Exception {
        // a request that did not come through check(): its host (loopback, with a live server behind it)
        // must not be resolved, so it never connects
        try (AudioUrlFetcher f = fetcher(FetchPolicy.defaults().withAllowedPrefixes(List.of(base)))) {
            for (Object tag : new Object[] {null, "not a Checked"}) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> f.client().newRequest(base + "audio.wav").tag(tag).send(), String.valueOf(tag));
                assertInstanceOf(UnknownHostException.class, rootCause(e), e.toString());
                assertTrue(rootCause(e).getMessage().contains("was not checked"), e.toString());
            }
        }
        // and the resolver itself, called as Jetty calls it for a destination without checked addresses
        CompletableFuture<List<InetSocketAddress>> resolved = new CompletableFuture<>();
        AudioUrlFetcher.checkedAddresses("127.0.0.1", files.getAddress().getPort(), new HashMap<>(),
                Promise.from(resolved::complete, resolved::completeExceptionally));
        ExecutionException e = assertThrows(ExecutionException.class, () -> resolved.get(5, TimeUnit.SECONDS));
        assertInstanceOf(UnknownHostException.class, e.getCause());
    }

    @Test
    void theConnectionGoesToTheCheckedAddressWithoutASecondLookup() throws Exception {
        // rebind.invalid never resolves (RFC 2606): the request can only succeed if the connection goes to
        // the address pinned at check time and the host name is never looked up again
        int port = files.getAddress().getPort();
        try (AudioUrlFetcher f = fetcher(FetchPolicy.defaults())) {
            ContentResponse r = f.pinned(URI.create("http://rebind.invalid:" + port + "/host"),
                    List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))).send();
            assertEquals(200, r.getStatus());
            assertEquals("rebind.invalid:" + port, r.getContentAsString(), "the Host header is the URL's, unchanged");
            // fetch() itself resolves the name once, at check time: an unresolvable host is a 400, not a connection
            ApiException unresolved = refused(f, "http://rebind.invalid:" + port + "/host");
            assertEquals(400, unresolved.status, unresolved.getMessage());
            assertTrue(unresolved.getMessage().contains("cannot be resolved"), unresolved.getMessage());
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersIsCutOffByTheReadTimeoutAt504() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    for (;;) {
                        held.add(silent.accept()); // accepted, read from never, answered never
                    }
                } catch (IOException stopped) {
                    held.forEach(h -> {
                        try {
                            h.close();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                    });
                }
            }, "silent-server");
            acceptor.start();
            String silentBase = "http://127.0.0.1:" + silent.getLocalPort() + "/";
            // read timeout 1 s, total 20 s: only the read timeout can end these within the bound
            FetchPolicy p = FetchPolicy.defaults().withAllowedPrefixes(List.of(silentBase, base))
                    .withLimits(1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(20));
            try (AudioUrlFetcher f = fetcher(p)) {
                for (String url : List.of(silentBase + "audio.wav", base + "stall-body")) {
                    long t0 = System.nanoTime();
                    ApiException e = refused(f, url);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    assertEquals(504, e.status, url + ": " + e.getMessage());
                    assertTrue(e.getMessage().contains("read timeout"), url + ": " + e.getMessage());
                    assertTrue(seconds < 8, url + ": cut off after " + seconds + " s, not by the 1 s read timeout");
                }
            }
            silent.close();
            acceptor.join(5_000);
        }
    }

    @Test
    void aHostThatNeverAcceptsIsCutOffByTheConnectTimeoutAt504() throws Exception {
        // a listener that never accepts, its queue filled: Linux then drops further SYNs, so a connect
        // neither succeeds nor is refused, as with a host that black-holes packets
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort());
            for (int i = 0; i < 64; i++) {
                Socket filler = new Socket();
                fillers.add(filler);
                try {
                    filler.connect(address, 300);
                } catch (SocketTimeoutException queueFull) {
                    break;
                }
            }
            assumeTrue(fillers.size() < 64, "this kernel accepts connections past the listen queue");
            String url = "http://127.0.0.1:" + full.getLocalPort() + "/audio.wav";
            FetchPolicy p = new FetchPolicy(FetchPolicy.parse(List.of(url)), false, 1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(15),
                    Duration.ofSeconds(20), 3);
            try (AudioUrlFetcher f = fetcher(p)) {
                long t0 = System.nanoTime();
                ApiException e = refused(f, url);
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertEquals(504, e.status, e.getMessage());
                assertTrue(e.getMessage().contains("did not accept a connection"), e.getMessage());
                assertTrue(seconds < 8, "cut off after " + seconds + " s, not by the 1 s connect timeout");
            }
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }

    @Test
    void allowPrivateUrlsOpensLoopback() throws Exception {
        ServeCommand open = new ServeCommand();
        new CommandLine(open).parseArgs("--allow-private-urls");
        String localhost = "http://localhost:" + files.getAddress().getPort() + "/audio.wav";
        try (AudioUrlFetcher f = fetcher(open.config().fetch())) {
            assertArrayEquals(AUDIO, fetch(f, base + "audio.wav"));
            assertArrayEquals(AUDIO, fetch(f, localhost));
            assertEquals(400, refused(f, "file:///etc/passwd").status, "the flag opens addresses, not schemes");
        }
        ServeCommand closed = new ServeCommand();
        new CommandLine(closed).parseArgs();
        try (AudioUrlFetcher f = fetcher(closed.config().fetch())) {
            ApiException e = refused(f, localhost);
            assertEquals(400, e.status, e.getMessage());
            assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        }
    }

    static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** What {@code f} fetched from {@code url}, spooled as the service spools it, then read back. */
    static byte[] fetch(AudioUrlFetcher f, String url) {
        try (SpoolSpace space = SpoolSpace.inTempFolder(1L << 30, 1 << 20);
                BodySpool spool = f.fetch(url, space);
                InputStream in = spool.open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
