package io.github.whisperjava.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Download on demand from a real HTTP mirror on loopback, serving the shared for-tests models. */
class ModelDownloadTest {
    static final Path SHARED_MODELS = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"), "models");

    @TempDir
    Path cache;

    TestMirror mirror;
    /** Short backoff so retries are quick; timeouts long enough that a loaded machine never trips them. */
    ModelDownloader fast = new ModelDownloader(Duration.ofSeconds(10), Duration.ofSeconds(10), 3, Duration.ofMillis(10));

    static byte[] forTests(String size) throws IOException {
        return Files.readAllBytes(SHARED_MODELS.resolve("for-tests-ggml-" + size + ".bin"));
    }

    @BeforeEach
    void start() throws IOException {
        mirror = new TestMirror();
    }

    @AfterEach
    void stop() {
        mirror.close();
    }

    ModelResolver resolver(Map<String, String> extra) {
        return resolver(extra, fast);
    }

    ModelResolver resolver(Map<String, String> extra, ModelDownloader downloader) {
        Map<String, String> env = new HashMap<>(Map.of("WHISPER_MODELS_DIR", cache.toString(),
                "WHISPER_MODEL_BASE_URL", mirror.baseUrl()));
        env.putAll(extra);
        return new ModelResolver(Settings.of(env), downloader);
    }

    @Test
    void downloadsVerifiesThenUsesTheCacheWithTheServerGone() throws IOException {
        byte[] tiny = forTests("tiny");
        mirror.serve("ggml-tiny-q5_1.bin", tiny);
        List<Long> progress = new ArrayList<>();
        ResolvedModel r = resolver(Map.of("WHISPER_MODEL_SIZE", "tiny"))
                .withListener((f, done, total) -> progress.add(done)).resolve();
        assertEquals(cache.resolve("ggml-tiny-q5_1.bin"), r.file());
        assertArrayEquals(tiny, Files.readAllBytes(r.file()));
        assertTrue(r.reason().contains("downloaded"), r.reason());
        assertFalse(progress.isEmpty());
        assertEquals(tiny.length, progress.get(progress.size() - 1));
        assertFalse(Files.exists(cache.resolve("ggml-tiny-q5_1.bin.part")));
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(List.of(ModelDownloader.LOCK_FILE, "ggml-tiny-q5_1.bin", "ggml-tiny-q5_1.bin.verified"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "the cache holds only the model and its stamp");
        }

        mirror.close();
        ResolvedModel again = resolver(Map.of("WHISPER_MODEL_SIZE", "tiny")).resolve();
        assertTrue(again.reason().contains("cached"), again.reason());
        assertEquals(r.file(), again.file());
    }

    /** The progress log of a model under 1 MiB (575,451 bytes) used to read "0 of 0 MiB" at every step. */
    @Test
    void progressOfASmallModelIsLoggedInKiB() throws IOException {
        mirror.serve("ggml-tiny-q5_1.bin", forTests("tiny"));
        String log = stderrOf(() -> resolver(Map.of("WHISPER_MODEL_SIZE", "tiny")).resolve());
        assertTrue(log.contains("ggml-tiny-q5_1.bin: 50% (") && log.contains("ggml-tiny-q5_1.bin: 100% (561 of 561 KiB)"),
                log);
        assertFalse(log.contains("0 of 0 MiB"), log);
    }

    @Test
    void sidecarChecksumMismatchDeletesTheDownload() throws IOException {
        mirror.serve("ggml-tiny-q5_1.bin", forTests("tiny"));
        mirror.sidecars.put("ggml-tiny-q5_1.bin.sha256", "0".repeat(64) + "  ggml-tiny-q5_1.bin\n");
        ModelIntegrityException e = assertThrows(ModelIntegrityException.class,
                () -> resolver(Map.of("WHISPER_MODEL_SIZE", "tiny")).resolve());
        assertTrue(e.getMessage().contains("expected " + "0".repeat(64) + ", got " + TestMirror.sha256(forTests("tiny"))),
                e.getMessage());
        assertNoModelFiles();
    }

    @Test
    void sidecarThatFailsOnceIsRetried() throws IOException {
        byte[] tiny = forTests("tiny");
        mirror.serve("ggml-tiny-q5_1.bin", tiny);
        mirror.failSidecarRequests.set(1);
        assertArrayEquals(tiny, Files.readAllBytes(resolver(Map.of("WHISPER_MODEL_SIZE", "tiny")).resolve().file()));
        assertEquals(1, mirror.fileRequests("ggml-tiny-q5_1.bin"), mirror.requests.toString());
    }

    /** A checksum we could not read is not a missing one: the whole download is kept, then verified. */
    @Test
    void unreadableSidecarKeepsTheDownloadForTheNextTry() throws IOException {
        byte[] tiny = forTests("tiny");
        mirror.serve("ggml-tiny-q5_1.bin", tiny);
        mirror.failSidecarRequests.set(1_000);
        ModelDownloadException e = assertThrows(ModelDownloadException.class,
                () -> resolver(Map.of("WHISPER_MODEL_SIZE", "tiny")).resolve());
        assertTrue(e.getMessage().contains("cannot read the checksum") && e.getMessage().contains("HTTP 503"),
                e.getMessage());
        assertArrayEquals(tiny, Files.readAllBytes(cache.resolve("ggml-tiny-q5_1.bin.part")));
        assertFalse(Files.exists(cache.resolve("ggml-tiny-q5_1.bin")));

        mirror.failSidecarRequests.set(0);
        assertArrayEquals(tiny, Files.readAllBytes(resolver(Map.of("WHISPER_MODEL_SIZE", "tiny")).resolve().file()));
        List<String> bodies = mirror.requests.stream().filter(q -> q.startsWith("GET /models/ggml-tiny-q5_1.bin "))
                .toList();
        assertEquals(List.of("GET /models/ggml-tiny-q5_1.bin range=null",
                "GET /models/ggml-tiny-q5_1.bin range=bytes=" + tiny.length + "-"), bodies,
                "the second try must only confirm the file is whole, not fetch it again");
    }

    @Test
    void catalogueSha1WinsOverTheMirrorsOwnChecksum() throws IOException {
        // the for-tests file is not the official ggml-tiny.bin, whose SHA-1 the catalogue publishes
        mirror.serve("ggml-tiny.bin", forTests("tiny"));
        ModelIntegrityException e = assertThrows(ModelIntegrityException.class,
                () -> resolver(Map.of("WHISPER_MODEL_SIZE", "tiny", "WHISPER_MODEL_QUANT", "f16")).resolve());
        assertTrue(e.getMessage().contains("catalogue SHA-1") && e.getMessage().contains("bd577a113a864445d4c2"),
                e.getMessage());
        assertNoModelFiles();
    }

    @Test
    void headerOfTheWrongSizeIsRejected() throws IOException {
        mirror.serve("ggml-small-q5_1.bin", forTests("base")); // checksum fine, content a base model
        ModelIntegrityException e = assertThrows(ModelIntegrityException.class,
                () -> resolver(Map.of("WHISPER_MODEL_SIZE", "small")).resolve());
        assertTrue(e.getMessage().contains("header of a base multilingual model, expected small"), e.getMessage());
        assertNoModelFiles();
    }

    @Test
    void notFoundIsNotRetried() {
        ModelDownloadException e = assertThrows(ModelDownloadException.class,
                () -> resolver(Map.of("WHISPER_MODEL_SIZE", "base")).resolve());
        assertTrue(e.getMessage().contains("404"), e.getMessage());
        assertEquals(1, mirror.fileRequests("ggml-base-q5_1.bin"));
    }

    @Test
    void droppedConnectionResumesWithARangeRequest() throws IOException {
        byte[] base = forTests("base");
        mirror.serve("ggml-base-q5_1.bin", base);
        mirror.dropFirstRequests.set(1);
        mirror.watchedPart = cache.resolve("ggml-base-q5_1.bin.part");
        ResolvedModel r = resolver(Map.of("WHISPER_MODEL_SIZE", "base")).resolve();
        assertArrayEquals(base, Files.readAllBytes(r.file()));
        List<String> bodies = mirror.requests.stream().filter(q -> q.startsWith("GET /models/ggml-base-q5_1.bin "))
                .toList();
        assertEquals(2, bodies.size(), mirror.requests.toString());
        assertEquals("GET /models/ggml-base-q5_1.bin range=null", bodies.get(0));
        // how much of the first response arrived is the network's business; the client's is to ask for
        // exactly what it does not have
        long partAtResume = mirror.partLengthAtRequest.get(1);
        assertTrue(partAtResume > 0 && partAtResume < base.length,
                "the resumed request should find a partial file, found " + partAtResume + " bytes");
        assertEquals("GET /models/ggml-base-q5_1.bin range=bytes=" + partAtResume + "-", bodies.get(1));
    }

    @Test
    void partialFileFromAnEarlierRunIsResumed() throws IOException {
        byte[] base = forTests("base");
        mirror.serve("ggml-base-q5_1.bin", base);
        mirror.dropFirstRequests.set(1);
        Path part = cache.resolve("ggml-base-q5_1.bin.part");
        mirror.watchedPart = part;
        ModelDownloader oneAttempt = new ModelDownloader(Duration.ofSeconds(10), Duration.ofSeconds(10), 1,
                Duration.ofMillis(10));
        assertThrows(ModelDownloadException.class,
                () -> resolver(Map.of("WHISPER_MODEL_SIZE", "base"), oneAttempt).resolve());
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < base.length, "the earlier run should leave a partial file, left " + kept);

        ResolvedModel r = resolver(Map.of("WHISPER_MODEL_SIZE", "base")).resolve();
        assertArrayEquals(base, Files.readAllBytes(r.file()));
        assertTrue(mirror.requests.stream().anyMatch(q -> q.contains("range=bytes=" + kept + "-")),
                mirror.requests.toString());
    }

    /**
     * A .part that no download of ours wrote (another tool's, an older version's, garbage) used to be resumed
     * with a Range request: the right tail on the wrong head failed verification, so the first run always
     * failed. It is discarded, and one run succeeds.
     */
    @Test
    void partialFileOfUnknownOriginIsDiscardedNotResumed() throws IOException {
        byte[] base = forTests("base");
        mirror.serve("ggml-base-q5_1.bin", base);
        byte[] garbage = new byte[100_000];
        Arrays.fill(garbage, (byte) 'x');
        Files.write(cache.resolve("ggml-base-q5_1.bin.part"), garbage);
        ResolvedModel r = resolver(Map.of("WHISPER_MODEL_SIZE", "base")).resolve();
        assertArrayEquals(base, Files.readAllBytes(r.file()));
        assertEquals(List.of("GET /models/ggml-base-q5_1.bin range=null"), mirror.requests.stream()
                .filter(q -> q.startsWith("GET /models/ggml-base-q5_1.bin ")).toList());
        assertFalse(Files.exists(cache.resolve("ggml-base-q5_1.bin.part.origin")), "the note outlived its download");
    }

    /**
     * A cache others can write to: a link planted under the lock file's name is refused, not followed (its
     * target is not created); one under a .part's name is removed, and what it points at stays as it was.
     * Both links used to be followed.
     */
    @Test
    void linksPlantedInTheCacheAreNotFollowed(@TempDir Path elsewhere) throws IOException {
        byte[] tiny = forTests("tiny");
        mirror.serve("ggml-tiny-q5_1.bin", tiny);
        Path notCreated = elsewhere.resolve("created-through-the-lock");
        Files.createSymbolicLink(cache.resolve(ModelDownloader.LOCK_FILE), notCreated);
        ModelDownloadException e = assertThrows(ModelDownloadException.class,
                () -> resolver(Map.of("WHISPER_MODEL_SIZE", "tiny")).resolve());
        assertTrue(e.getMessage().contains(ModelDownloader.LOCK_FILE), e.getMessage());
        assertFalse(Files.exists(notCreated, LinkOption.NOFOLLOW_LINKS), "the lock's link was followed");
        Files.delete(cache.resolve(ModelDownloader.LOCK_FILE));

        Path victim = Files.writeString(elsewhere.resolve("victim"), "keep me");
        Files.createSymbolicLink(cache.resolve("ggml-tiny-q5_1.bin.part"), victim);
        ResolvedModel r = resolver(Map.of("WHISPER_MODEL_SIZE", "tiny")).resolve();
        assertArrayEquals(tiny, Files.readAllBytes(r.file()));
        assertEquals("keep me", Files.readString(victim), "the .part's link was written through");
        assertFalse(Files.isSymbolicLink(r.file()));
    }

    @Test
    void stalledServerTimesOut() throws IOException {
        mirror.serve("ggml-tiny-q5_1.bin", forTests("tiny"));
        mirror.stallMillis = 20_000;
        long t0 = System.nanoTime();
        ModelDownloadException e = assertThrows(ModelDownloadException.class, () -> new ModelResolver(Settings.of(Map.of(
                "WHISPER_MODELS_DIR", cache.toString(), "WHISPER_MODEL_BASE_URL", mirror.baseUrl(),
                "WHISPER_MODEL_SIZE", "tiny")),
                new ModelDownloader(Duration.ofSeconds(2), Duration.ofSeconds(2), 2, Duration.ofMillis(10))).resolve());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // the server sends headers and 1,000 bytes, then nothing: "stalled"; on a machine too loaded to
        // deliver even the headers within 2 s the same watchdog says "no response"
        assertTrue((e.getMessage().contains("stalled") || e.getMessage().contains("no response within"))
                && e.getMessage().contains("gave up after 2 attempts"), e.getMessage());
        // the contract: the watchdog ends each attempt, it does not wait for the server's 20 s stall to end
        assertTrue(ms < mirror.stallMillis, "took " + ms + " ms: waited for the stalled server");
        assertFalse(Files.exists(cache.resolve("ggml-tiny-q5_1.bin")));
    }

    @Test
    void unreachableMirrorFailsFast() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // free a moment ago and nobody listens now: refused, not a timeout
        }
        ModelDownloadException e = assertThrows(ModelDownloadException.class, () -> new ModelResolver(Settings.of(Map.of(
                "WHISPER_MODELS_DIR", cache.toString(), "WHISPER_MODEL_BASE_URL", "http://127.0.0.1:" + closedPort + "/models",
                "WHISPER_MODEL_SIZE", "tiny")), fast).resolve());
        // "cannot connect" is a refusal; a connect timeout would read "no response within": fast by kind
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        assertFalse(e.getMessage().contains("partial file"), "there is no partial file: " + e.getMessage());
    }

    @Test
    void concurrentRequestsDownloadOnce() throws Exception {
        byte[] small = forTests("small");
        mirror.serve("ggml-small-q5_1.bin", small);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Path>> fs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return resolver(Map.of("WHISPER_MODEL_SIZE", "small")).resolve().file();
                }));
            }
            go.countDown();
            for (Future<Path> f : fs) {
                assertArrayEquals(small, Files.readAllBytes(f.get(60, TimeUnit.SECONDS)));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, mirror.fileRequests("ggml-small-q5_1.bin"), mirror.requests.toString());
    }

    @Test
    void twoJvmsDownloadOnce() throws Exception {
        mirror.serve("ggml-medium-q5_0.bin", forTests("medium"));
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ps.add(io.github.whisperjava.TestJvm.start(cache, "jvm" + i, Map.of("WHISPER_MODELS_DIR", cache.toString(),
                    "WHISPER_MODEL_BASE_URL", mirror.baseUrl(), "WHISPER_MODEL_SIZE", "medium"), List.of(),
                    ResolveMain.class));
        }
        for (int i = 0; i < ps.size(); i++) {
            assertTrue(ps.get(i).waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, ps.get(i).exitValue(), Files.readString(cache.resolve("jvm" + i + ".log")));
        }
        assertEquals(1, mirror.fileRequests("ggml-medium-q5_0.bin"), mirror.requests.toString());
    }

    @Test
    void offlineModeNeverDownloads() throws IOException {
        mirror.serve("ggml-tiny-q5_1.bin", forTests("tiny"));
        ModelDownloadException e = assertThrows(ModelDownloadException.class,
                () -> resolver(Map.of("WHISPER_MODEL_SIZE", "tiny", "WHISPER_OFFLINE", "1")).resolve());
        assertTrue(e.getMessage().contains("WHISPER_OFFLINE"), e.getMessage());
        assertTrue(mirror.requests.isEmpty());
        Files.write(cache.resolve("ggml-tiny-q5_1.bin"), forTests("tiny"));
        assertTrue(resolver(Map.of("WHISPER_MODEL_SIZE", "tiny", "WHISPER_OFFLINE", "1")).resolve().reason()
                .contains("cached"));
    }

    /**
     * A file under the model's final name used to be used for being there. One damaged after its download
     * (here: cut short, as a full disk or an interrupted copy leaves it) no longer matches what its stamp
     * recorded, and is downloaded again.
     */
    @Test
    void aCachedModelDamagedSinceItsDownloadIsDownloadedAgain() throws IOException {
        byte[] tiny = forTests("tiny");
        mirror.serve("ggml-tiny-q5_1.bin", tiny);
        Path model = resolver(Map.of("WHISPER_MODEL_SIZE", "tiny")).resolve().file();
        assertTrue(Files.exists(VerifiedStamp.pathOf(model)), "a download is stamped as verified");
        try (FileChannel ch = FileChannel.open(model, StandardOpenOption.WRITE)) {
            ch.truncate(tiny.length / 2);
        }
        ResolvedModel again = resolver(Map.of("WHISPER_MODEL_SIZE", "tiny")).resolve();
        assertArrayEquals(tiny, Files.readAllBytes(again.file()));
        assertTrue(again.reason().endsWith("downloaded"), again.reason());
        assertEquals(2, mirror.fileRequests("ggml-tiny-q5_1.bin"), mirror.requests.toString());
    }

    /**
     * A file copied into the cache by hand is checked against the catalogue's checksum before it is used:
     * offline, a truncated copy is refused (and left as it is); a whole one is hashed once, then stamped, so
     * its next use does not hash it again.
     */
    @Test
    void aFileCopiedIntoTheCacheIsVerifiedOnceAgainstTheCatalogue(@TempDir Path dir) throws IOException {
        byte[] tiny = forTests("tiny");
        Path catalogue = Files.writeString(dir.resolve("mine.tsv"), "mine\tmine\tq5_1\tggml-mine.bin\t-\tmultilingual\t"
                + "tiny\t-\t" + TestMirror.sha256(tiny) + "\t-\n");
        Map<String, String> env = Map.of("WHISPER_MODEL_CATALOG", catalogue.toString(), "WHISPER_MODEL_SIZE", "mine",
                "WHISPER_OFFLINE", "1");
        Path model = cache.resolve("ggml-mine.bin");
        Files.write(model, Arrays.copyOf(tiny, tiny.length - 1000));
        ModelIntegrityException e = assertThrows(ModelIntegrityException.class, () -> resolver(env).resolve());
        assertTrue(e.getMessage().contains("catalogue SHA-256") && e.getMessage().contains("WHISPER_OFFLINE"),
                e.getMessage());
        assertEquals(tiny.length - 1000, Files.size(model), "a refused file in the cache is left as it is");

        Files.write(model, tiny);
        assertTrue(stderrOf(() -> assertEquals(model, resolver(env).resolve().file())).contains("verifying"));
        assertTrue(Files.exists(VerifiedStamp.pathOf(model)));
        String second = stderrOf(() -> assertEquals(model, resolver(env).resolve().file()));
        assertFalse(second.contains("verifying"), "a stamped file was hashed again:\n" + second);
    }

    @Test
    void advertisedEtagVerifiesWhenNoSidecarExists() throws IOException {
        byte[] tiny = forTests("tiny.en");
        mirror.files.put("ggml-tiny.en-q5_1.bin", tiny);
        mirror.etags.put("ggml-tiny.en-q5_1.bin", TestMirror.sha256(tiny));
        assertArrayEquals(tiny, Files.readAllBytes(resolver(Map.of("WHISPER_MODEL_SIZE", "tiny.en")).resolve().file()));
    }

    @Test
    void unverifiableDownloadIsRefused() throws IOException {
        mirror.files.put("ggml-tiny.en-q5_1.bin", forTests("tiny.en")); // no sidecar, no etag
        ModelIntegrityException e = assertThrows(ModelIntegrityException.class,
                () -> resolver(Map.of("WHISPER_MODEL_SIZE", "tiny.en")).resolve());
        assertTrue(e.getMessage().contains("no checksum"), e.getMessage());
        assertNoModelFiles();
    }

    @Test
    void fileUrlMirror(@TempDir Path mirrorDir) throws IOException {
        byte[] tiny = forTests("tiny");
        Files.write(mirrorDir.resolve("ggml-tiny-q8_0.bin"), tiny);
        Files.writeString(mirrorDir.resolve("ggml-tiny-q8_0.bin.sha256"), TestMirror.sha256(tiny) + "\n");
        ResolvedModel r = new ModelResolver(Settings.of(Map.of("WHISPER_MODELS_DIR", cache.toString(),
                "WHISPER_MODEL_BASE_URL", mirrorDir.toUri().toString(), "WHISPER_MODEL_SIZE", "tiny",
                "WHISPER_MODEL_QUANT", "q8_0")), fast).resolve();
        assertArrayEquals(tiny, Files.readAllBytes(r.file()));
    }

    /** What the test logger (slf4j-simple, which writes to System.err as it is at each line) printed while {@code r} ran. */
    private static String stderrOf(Runnable r) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(saved);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        saved.print(out);
        return out;
    }

    private void assertNoModelFiles() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(ModelDownloader.LOCK_FILE)).toList();
            assertTrue(left.isEmpty(), "left behind: " + left);
        }
    }
}
