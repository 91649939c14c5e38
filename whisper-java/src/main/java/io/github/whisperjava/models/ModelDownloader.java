package io.github.whisperjava.models;

import io.github.whisperjava.ModelLoadException;
import io.github.whisperjava.internal.GgmlModelHeader;
import io.github.whisperjava.internal.SileroModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a catalogue model into the cache folder, once, verified.
 *
 * <p>The file is streamed to {@code <file>.part} beside its final place; an interrupted download
 * resumes with a Range request, when a note beside the part says that this download wrote it
 * ({@link PartOrigin}; any other part is discarded); the finished file is verified, only then moved into
 * place atomically, and stamped as verified. A file found under the final name is used only once it is known
 * to be the model ({@link CachedModel}). Verification: the catalogue's
 * SHA-1 or SHA-256 when published; else a {@code <file>.sha256} beside it on the mirror; else the
 * SHA-256 the server advertises ({@code X-Linked-Etag}, as upstream's host does). A download with no
 * checksum from any of these is refused. The ggml header must also match the requested size.
 * Threads of one JVM and separate JVMs asking for the same file download it once (a file lock).
 */
public final class ModelDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelDownloader.class);
    private static final ConcurrentHashMap<Path, Object> IN_JVM_LOCKS = new ConcurrentHashMap<>();
    /** The one lock file in a model cache folder. */
    static final String LOCK_FILE = ".download.lock";
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "whisper-model-download-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Duration readTimeout;
    private final int attempts;
    private final Duration backoff;
    private final HttpClient http;

    public ModelDownloader(Duration connectTimeout, Duration readTimeout, int attempts, Duration backoff) {
        this.readTimeout = readTimeout;
        this.attempts = Math.max(1, attempts);
        this.backoff = backoff;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL) // upstream redirects to its CDN
                .build();
    }

    /** 10 s to connect, 30 s without a byte ends an attempt, 4 attempts, backoff from 1 s. */
    public static ModelDownloader defaults() {
        return new ModelDownloader(Duration.ofSeconds(10), Duration.ofSeconds(30), 4, Duration.ofSeconds(1));
    }

    /**
     * Returns {@code cacheDir/entry.file()}, downloading and verifying it first if it is not there, or if
     * what is there is not the model (see {@link CachedModel}).
     */
    public Path fetch(ModelEntry entry, String baseUrl, Path cacheDir, DownloadListener listener) {
        return fetchModel(entry, baseUrl, cacheDir, listener).file();
    }

    /** The model's file in the cache, and whether this call downloaded it. */
    record Fetched(Path file, boolean downloaded) {}

    Fetched fetchModel(ModelEntry entry, String baseUrl, Path cacheDir, DownloadListener listener) {
        Path target = cacheDir.resolve(entry.file());
        if (Files.isRegularFile(target)) {
            Optional<String> problem = CachedModel.problem(entry, target);
            if (problem.isEmpty()) {
                return new Fetched(target, false);
            }
            LOG.warn("{} is not the model {}: {}; downloading it again", target, entry.name(), problem.get());
        }
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new ModelDownloadException("cannot create model cache " + cacheDir + ": " + e, e);
        }
        // One lock file per cache folder, not one per model: a per-model lock file cannot be deleted
        // safely (a process waiting on the deleted inode and one creating a new file would both "hold"
        // it), and leaving one beside every model litters the cache. Downloads into one cache are
        // serialised; a process that waited finds its model already there.
        Path lockFile = cacheDir.resolve(LOCK_FILE);
        Object jvmLock = IN_JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath(), k -> new Object());
        synchronized (jvmLock) {
            // NOFOLLOW_LINKS: in a cache others can write to, a link planted under the lock's name would
            // have us create or open whatever it points at
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
                    FileLock lock = ch.lock()) {
                // a download that finished meanwhile stamped its file; an unstamped one is the file found
                // wrong above, not worth hashing again
                if (Files.isRegularFile(target) && CachedModel.stamped(entry, target)) {
                    LOG.info("{} was downloaded by another process meanwhile", entry.file());
                    return new Fetched(target, false);
                }
                return new Fetched(download(entry, baseUrl, target, listener), true);
            } catch (IOException e) {
                throw new ModelDownloadException("cannot lock " + lockFile + ": " + e, e);
            }
        }
    }

    private Path download(ModelEntry entry, String baseUrl, Path target, DownloadListener listener) {
        URI uri = URI.create(entry.url().orElse(stripSlash(baseUrl) + "/" + entry.file()));
        Path part = target.resolveSibling(entry.file() + ".part");
        if (Files.isSymbolicLink(part)) {
            // not a download of ours: removing the link leaves what it points at as it is
            LOG.warn("{} is a symbolic link, not a partial download; removing the link", part);
            try {
                Files.delete(part);
            } catch (IOException e) {
                throw new ModelDownloadException("cannot remove the symbolic link " + part + ": " + e, e);
            }
        }
        PartOrigin origin = PartOrigin.of(part, uri, entry);
        if (Files.exists(part, LinkOption.NOFOLLOW_LINKS) && !origin.matches()) {
            LOG.info("{} is not a partial download of {} from {} by whisper-java; starting over instead of resuming it",
                    part, entry.file(), uri);
            deleteQuietly(part);
        }
        try {
            origin.record();
        } catch (IOException e) {
            throw new ModelDownloadException("cannot write " + part + ".origin: " + e, e);
        }
        checkFreeSpace(entry, part);
        LOG.info("downloading {} from {}", entry.file(), uri);
        Optional<String> advertisedSha256 = Optional.empty();
        ModelDownloadException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                advertisedSha256 = transfer(uri, part, entry, listener);
                last = null;
                break;
            } catch (NotFound e) {
                throw new ModelDownloadException(entry.file() + " is not on the mirror: " + uri + " answered 404");
            } catch (IOException | ModelDownloadException e) {
                last = e instanceof ModelDownloadException m ? m
                        : new ModelDownloadException("download of " + entry.file() + " from " + uri + " failed: " + e, e);
                if (attempt < attempts) {
                    long wait = retryDelayMillis(attempt);
                    LOG.warn("{} (attempt {}/{}); retrying in {} ms", last.getMessage(), attempt, attempts, wait);
                    sleep(wait);
                }
            }
        }
        if (last != null) {
            throw new ModelDownloadException(last.getMessage() + " (gave up after " + attempts + " attempts"
                    + (sizeOf(part) > 0 ? "; the partial file of " + sizeOf(part) + " bytes is kept and the next try "
                            + "resumes it)" : ")"), last);
        }
        Digests digests;
        try {
            digests = verify(entry, uri, part, advertisedSha256);
        } catch (ModelIntegrityException e) {
            if (!Files.exists(part)) {
                origin.delete(); // the part was refused and deleted; an unverified one kept stays resumable
            }
            throw e;
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ModelDownloadException("cannot move " + part + " to " + target + ": " + e, e);
        }
        origin.delete();
        try {
            CachedModel.stamp(target, VerifiedStamp.of(target, digests));
        } catch (IOException e) {
            LOG.warn("cannot stamp {} as verified ({}); its next use verifies it again", target, e.toString());
        }
        LOG.info("{} downloaded and verified: {}", entry.file(), target);
        return target;
    }

    private static final class NotFound extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** One attempt: appends to {@code part} from where it ends. Returns the server's advertised SHA-256. */
    private Optional<String> transfer(URI uri, Path part, ModelEntry entry, DownloadListener listener)
            throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (uri.getScheme().equals("file")) {
            return copyFromFile(Paths.get(uri), part, have, entry, listener);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(readTimeout).GET();
        if (have > 0) {
            req.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new IOException("no response within " + readTimeout, e);
        } catch (ConnectException e) {
            throw new IOException("cannot connect to " + uri.getHost() + ":" + uri.getPort() + " (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelDownloadException("download of " + entry.file() + " interrupted", e);
        }
        int status = resp.statusCode();
        Optional<String> etag = resp.headers().firstValue("x-linked-etag")
                .map(v -> v.replace("\"", "").toLowerCase(Locale.ROOT))
                .filter(v -> v.matches("[0-9a-f]{64}"));
        try (InputStream body = resp.body()) {
            if (status == 404) {
                throw new NotFound();
            }
            if (status == 416 && have > 0) {
                return etag; // the part is already whole; verification decides
            }
            boolean append = status == 206;
            if (status != 200 && status != 206) {
                throw new IOException("HTTP " + status + " from " + uri);
            }
            if (!append && have > 0) {
                LOG.info("{}: server ignored the Range request; starting over", entry.file());
                have = 0;
            }
            long already = append ? Files.size(part) : 0;
            long total = resp.headers().firstValueAsLong("content-length").stream()
                    .map(len -> len + already).findFirst().orElse(entry.approxBytes());
            stream(body, part, append, have, total, entry.file(), listener);
        }
        return etag;
    }

    private Optional<String> copyFromFile(Path source, Path part, long have, ModelEntry entry,
            DownloadListener listener) throws IOException {
        if (!Files.isRegularFile(source)) {
            throw new NotFound();
        }
        long total = Files.size(source);
        try (InputStream in = Files.newInputStream(source)) {
            in.skipNBytes(Math.min(have, total));
            stream(in, part, have > 0, have, total, entry.file(), listener);
        }
        return Optional.empty();
    }

    /** Copies with a watchdog that closes the stream when no byte arrives for readTimeout. */
    private void stream(InputStream in, Path part, boolean append, long have, long total, String file,
            DownloadListener listener) throws IOException {
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        long checkEvery = Math.max(50, readTimeout.toMillis() / 4);
        ScheduledFuture<?> watchdog = WATCHDOG.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastProgress.get() > readTimeout.toNanos()) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing is how we interrupt the blocked read
                }
            }
        }, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
        long done = have;
        int lastDecile = total > 0 ? (int) (done * 10 / total) : 0;
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while (true) {
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    if (System.nanoTime() - lastProgress.get() > readTimeout.toNanos()) {
                        throw new IOException("no data for " + readTimeout + " (stalled) after " + done + " bytes", e);
                    }
                    throw e;
                }
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                done += n;
                lastProgress.set(System.nanoTime());
                listener.onProgress(file, done, total);
                if (total > 0 && done * 10 / total > lastDecile) {
                    lastDecile = (int) (done * 10 / total);
                    LOG.info("{}: {}% ({})", file, Math.min(100, lastDecile * 10), ByteCounts.progress(done, total));
                }
            }
        } finally {
            watchdog.cancel(false);
        }
        if (total > 0 && done < total) {
            throw new IOException("connection closed after " + done + " of " + total + " bytes");
        }
    }

    /** Checks the finished download; returns its digests, for the stamp that spares its next use a hash. */
    private Digests verify(ModelEntry entry, URI uri, Path part, Optional<String> advertisedSha256) {
        Digests sums = Digests.of(part);
        String sha1 = sums.sha1();
        String sha256 = sums.sha256();
        String expected;
        String actual;
        String source;
        if (entry.sha1().isPresent()) {
            expected = entry.sha1().get();
            actual = sha1;
            source = "catalogue SHA-1";
        } else if (entry.sha256().isPresent()) {
            expected = entry.sha256().get();
            actual = sha256;
            source = "catalogue SHA-256";
        } else {
            Optional<String> sidecar = sidecarSha256(uri, part);
            if (sidecar.isPresent()) {
                expected = sidecar.get();
                source = uri + ".sha256";
            } else if (advertisedSha256.isPresent()) {
                expected = advertisedSha256.get();
                source = "the server's X-Linked-Etag";
            } else {
                deleteQuietly(part);
                throw new ModelIntegrityException("refusing " + entry.file() + ": no checksum in the catalogue, no "
                        + entry.file() + ".sha256 on the mirror and none advertised by the server; add its sha256 "
                        + "to a catalogue named by WHISPER_MODEL_CATALOG");
            }
            actual = sha256;
        }
        if (!expected.equals(actual)) {
            deleteQuietly(part);
            throw new ModelIntegrityException(entry.file() + " failed verification against " + source + ": expected "
                    + expected + ", got " + actual + "; the download was deleted");
        }
        String wrong = structureProblem(entry, part);
        if (wrong != null) {
            deleteQuietly(part);
            throw new ModelIntegrityException(entry.file() + wrong + "; the download was deleted");
        }
        LOG.debug("{} verified against {}", entry.file(), source);
        return sums;
    }

    /** What makes {@code part} not the model {@code entry} names, or null when its structure is right. */
    static String structureProblem(ModelEntry entry, Path part) {
        try {
            if (entry.isVad()) {
                SileroModelFile.check(part);
                return null;
            }
            GgmlModelHeader header = GgmlModelHeader.read(part);
            if (!header.sizeName().equals(entry.type()) || header.multilingual() != entry.multilingual()) {
                return " has the header of a " + header.sizeName()
                        + (header.multilingual() ? " multilingual" : " English-only") + " model, expected " + entry.type()
                        + (entry.multilingual() ? " multilingual" : " English-only");
            }
            return null;
        } catch (ModelLoadException e) {
            return " is not a loadable " + (entry.isVad() ? "VAD model" : "model") + " (" + e.getMessage() + ")";
        }
    }

    /**
     * The mirror's {@code <file>.sha256}. Empty only when the mirror says there is none (404 or 410):
     * a checksum we failed to read is not a missing one, and treating it so would delete a whole,
     * probably good, download. Any other failure is retried, then fails the download with the part
     * file kept, so the next try only verifies it.
     */
    private Optional<String> sidecarSha256(URI uri, Path part) {
        if (uri.getScheme().equals("file")) {
            Path side = Paths.get(uri).resolveSibling(Paths.get(uri).getFileName() + ".sha256");
            if (!Files.exists(side)) {
                return Optional.empty();
            }
            try {
                return Optional.of(parseSidecar(Files.readString(side), side.toString(), part));
            } catch (IOException e) {
                throw sidecarFailed(side.toString(), e.toString(), part, e);
            }
        }
        URI sideUri = URI.create(uri + ".sha256");
        String failure = null;
        Exception cause = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(sideUri).timeout(readTimeout).GET().build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (r.statusCode() == 404 || r.statusCode() == 410) {
                    return Optional.empty();
                }
                if (r.statusCode() == 200) {
                    return Optional.of(parseSidecar(r.body(), sideUri.toString(), part));
                }
                failure = "HTTP " + r.statusCode();
                cause = null;
            } catch (IOException e) {
                failure = e.toString();
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelDownloadException("reading " + sideUri + " interrupted; the download of "
                        + sizeOf(part) + " bytes is kept", e);
            }
            if (attempt < attempts) {
                long wait = retryDelayMillis(attempt);
                LOG.warn("cannot read {}: {} (attempt {}/{}); retrying in {} ms", sideUri, failure, attempt, attempts,
                        wait);
                sleep(wait);
            }
        }
        throw sidecarFailed(sideUri.toString(), failure + " (gave up after " + attempts + " attempts)", part, cause);
    }

    /** The wait after failed attempt {@code attempt} (from 1): the backoff, doubled each time. */
    private long retryDelayMillis(int attempt) {
        return backoff.toMillis() << (attempt - 1);
    }

    private String parseSidecar(String text, String where, Path part) {
        return parseSha256(text).orElseThrow(() -> new ModelIntegrityException(where + " does not start with a "
                + "SHA-256 (64 hex digits); the download of " + sizeOf(part) + " bytes is kept, unverified and unused"));
    }

    private ModelDownloadException sidecarFailed(String where, String failure, Path part, Exception cause) {
        return new ModelDownloadException("cannot read the checksum " + where + ": " + failure + "; the download of "
                + sizeOf(part) + " bytes is kept and the next try verifies it without downloading it again", cause);
    }

    /** The first word of a sha256sum-style line. */
    static Optional<String> parseSha256(String text) {
        String first = text.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        return first.matches("[0-9a-f]{64}") ? Optional.of(first) : Optional.empty();
    }

    private static void checkFreeSpace(ModelEntry entry, Path part) {
        if (entry.approxBytes() <= 0) {
            return;
        }
        try {
            long have = Files.exists(part) ? Files.size(part) : 0;
            long need = (long) ((entry.approxBytes() - have) * 1.05);
            long free = Files.getFileStore(part.getParent()).getUsableSpace();
            if (need > free) {
                throw new ModelDownloadException("not enough disk space for " + entry.file() + " in " + part.getParent()
                        + ": needs about " + ByteCounts.of(need) + ", " + ByteCounts.of(free) + " free");
            }
        } catch (IOException e) {
            LOG.debug("cannot check free space for {}: {}", part, e.toString());
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelDownloadException("interrupted while waiting to retry", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover .part is resumed or replaced by the next download
        }
    }
}
