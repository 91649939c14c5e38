package io.github.whisperjava.examples;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file whole or not at all: into a new file beside it, then renamed over it. A reader never
 * sees half a result; a write that fails (a full disk) leaves the old file as it was and no empty one;
 * a symbolic or hard link at the name is replaced, not written through, so what it points at keeps its
 * bytes.
 */
final class AtomicFile {
    private AtomicFile() {}

    static void write(Path file, byte[] content) throws IOException {
        // hidden and ours by name, in the same folder so that the rename cannot cross file systems
        Path part = file.resolveSibling(".transcribe-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                + ".part");
        try {
            // CREATE_NEW fails on anything already there, a planted link included, rather than open it
            try (FileChannel channel = FileChannel.open(part, CREATE_NEW, WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                // on disk before it takes the name: after a crash the name holds the old file or the new one
                channel.force(true);
            }
            replace(part, file);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static void replace(Path part, Path file) throws IOException {
        try {
            Files.move(part, file, ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // a file system that cannot rename over a name: the old file is gone for a moment, never half-written
            Files.move(part, file, REPLACE_EXISTING);
        }
    }
}
