package io.github.whisperjava.server;

import io.github.whisperjava.audio.AudioDecoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;

/**
 * Audio bytes as they arrive (a request body, an upload's file part, an audio_url download): in memory
 * while small, then in a temp file, so that a request waiting for its turn holds disk, not heap. What
 * it holds counts against the {@link SpoolSpace} it came from until it is closed; closing deletes the
 * file and is idempotent.
 */
final class BodySpool implements AutoCloseable {
    private final SpoolSpace space;
    private byte[] memory = new byte[8 << 10];
    private int inMemory;
    private long heldInMemory; // what this spool counts against the space's memory share
    private Path file;
    private FileChannel out;
    private long size;
    private boolean closed;

    BodySpool(SpoolSpace space) {
        this.space = space;
    }

    /** Appends {@code bytes}; an {@link ApiException} 503 once the service's spool space is full. */
    synchronized void write(ByteBuffer bytes) throws IOException {
        if (closed) {
            throw new IOException("the spool is closed");
        }
        int n = bytes.remaining();
        space.reserveDisk(n);
        size += n;
        if (file == null && space.holdInMemory(this, inMemory + n)) {
            if (inMemory + n > memory.length) {
                memory = Arrays.copyOf(memory, Math.max(inMemory + n, memory.length * 2));
            }
            bytes.get(memory, inMemory, n);
            inMemory += n;
            return;
        }
        if (file == null) {
            spill();
        }
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        write(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Copies {@code in} to its end into this spool. */
    void writeAll(InputStream in) throws IOException {
        byte[] buf = new byte[64 << 10];
        for (int n; (n = in.read(buf)) >= 0; ) {
            write(buf, 0, n);
        }
    }

    private void spill() throws IOException {
        file = Files.createTempFile(space.directory(), "body-", ".bin");
        out = FileChannel.open(file, StandardOpenOption.WRITE);
        out.write(ByteBuffer.wrap(memory, 0, inMemory));
        memory = null;
        inMemory = 0;
        space.releaseMemory(this);
    }

    /** Bytes written so far. */
    synchronized long size() {
        return size;
    }

    /** Whether the first bytes are {@code prefix} (a format check before decoding). */
    synchronized boolean startsWith(byte[] prefix) {
        byte[] head = new byte[prefix.length];
        try (InputStream in = open()) {
            return in.readNBytes(head, 0, head.length) == head.length && Arrays.equals(head, prefix);
        } catch (IOException e) {
            return false;
        }
    }

    /** What was written, from its start. */
    synchronized InputStream open() throws IOException {
        if (closed) {
            throw new IOException("the spool is closed");
        }
        if (file == null) {
            return new ByteArrayInputStream(memory, 0, inMemory);
        }
        out.force(false);
        return Files.newInputStream(file);
    }

    /**
     * Decodes what was written to 16 kHz mono samples (through the file, where it spilled: a WAV file is
     * then read as it is decoded, not held whole).
     */
    float[] decode(Duration maxAudio) {
        byte[] bytes;
        Path path;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the spool is closed");
            }
            bytes = file == null ? Arrays.copyOf(memory, inMemory) : null;
            path = file;
        }
        return bytes != null ? AudioDecoder.decode16kMono(bytes, maxAudio) : AudioDecoder.decode16kMono(path, maxAudio);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        space.releaseDisk(size);
        space.releaseMemory(this);
        memory = null;
        if (file != null) {
            try {
                out.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the spooled body " + file, e);
            }
        }
    }

    /** Used by {@link SpoolSpace}: what this spool counts against its memory share. */
    long heldInMemory() {
        return heldInMemory;
    }

    void heldInMemory(long bytes) {
        heldInMemory = bytes;
    }
}
