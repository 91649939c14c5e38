package io.github.whisperjava.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where request bodies and downloads wait for their transcription, and how much of it they may use: a
 * small body stays in the heap (up to {@link #PER_SPOOL_MEMORY}, and all of them together up to
 * {@code memoryLimit}), a larger one goes to a temp file, and all spooled bytes together may not pass
 * {@code diskLimit}. Past that, the body being written is refused with 503 and Retry-After: the
 * service is full, not the client wrong.
 */
final class SpoolSpace implements AutoCloseable {
    static final long PER_SPOOL_MEMORY = 256 << 10;

    private final Path directory;
    private final long diskLimit;
    private final long memoryLimit;
    private long disk; // guarded by this
    private long memory; // guarded by this

    SpoolSpace(Path directory, long diskLimit, long memoryLimit) {
        this.directory = directory;
        this.diskLimit = diskLimit;
        this.memoryLimit = memoryLimit;
    }

    /** A private temp folder, removed by {@link #close()}. */
    static SpoolSpace inTempFolder(long diskLimit, long memoryLimit) {
        try {
            return new SpoolSpace(Files.createTempDirectory("whisper-service-spool"), diskLimit, memoryLimit);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for request bodies in "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    Path directory() {
        return directory;
    }

    BodySpool newSpool() {
        return new BodySpool(this);
    }

    synchronized void reserveDisk(long bytes) {
        if (disk + bytes > diskLimit) {
            throw ApiException.unavailable("the service holds " + (disk >> 20) + " MiB of request bodies waiting for "
                    + "transcription, its limit; try again later", 5);
        }
        disk += bytes;
    }

    synchronized void releaseDisk(long bytes) {
        disk -= bytes;
    }

    /** Whether {@code spool} may hold {@code bytes} in the heap; if so, they are counted. */
    synchronized boolean holdInMemory(BodySpool spool, long bytes) {
        long more = bytes - spool.heldInMemory();
        if (bytes > PER_SPOOL_MEMORY || memory + more > memoryLimit) {
            return false;
        }
        memory += more;
        spool.heldInMemory(bytes);
        return true;
    }

    synchronized void releaseMemory(BodySpool spool) {
        memory -= spool.heldInMemory();
        spool.heldInMemory(0);
    }

    /** Spooled bytes now, in the heap and on disk together. */
    synchronized long used() {
        return disk;
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a folder gone already, or a file still open on a platform that locks it: the OS temp cleaner's
        }
    }
}
