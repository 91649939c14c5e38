package io.github.whisperjava.models;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A note beside a {@code .part} file ({@code <file>.part.origin}) that says which download wrote it: the
 * URL and the catalogue checksums it is meant to match. It is written before the first byte, so a
 * {@code .part} is resumed only when the note says that this download wrote it.
 *
 * <p>A {@code .part} without the note (left by another tool or an older version, or a file put there by
 * hand) or with another download's note used to be resumed with a Range request. That joins the right
 * tail to the wrong head, so the download failed verification: a whole model fetched and thrown away, and
 * an error for the user, before a second run started over. A prefix cannot be checked instead, because
 * the published checksums cover the whole file only; discarding such a file costs at most its bytes.
 */
final class PartOrigin {
    /** The note is a few hundred bytes: anything larger under its name is not one. */
    private static final int MAX_BYTES = 4096;

    private final Path file;
    private final byte[] text;

    private PartOrigin(Path file, String text) {
        this.file = file;
        this.text = text.getBytes(StandardCharsets.UTF_8);
    }

    static PartOrigin of(Path part, URI uri, ModelEntry entry) {
        return new PartOrigin(part.resolveSibling(part.getFileName() + ".origin"), "whisper-java partial download\n"
                + "url=" + uri + "\n"
                + "sha1=" + entry.sha1().orElse("-") + "\n"
                + "sha256=" + entry.sha256().orElse("-") + "\n");
    }

    /** Whether the note beside the part is this download's. A link under its name is no note. */
    boolean matches() {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
                return false;
            }
            return Arrays.equals(text, Files.readAllBytes(file));
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes the note; whatever was under its name (a link included) is replaced, not written through. */
    void record() throws IOException {
        Files.deleteIfExists(file);
        Files.write(file, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a note without its part is discarded by the next download of the file
        }
    }
}
