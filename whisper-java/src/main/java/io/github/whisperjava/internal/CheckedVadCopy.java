package io.github.whisperjava.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file whisper.cpp loads a checked Silero model from. Its VAD loader takes a path and trusts every
 * field of the file, so it gets a copy of the bytes {@link SileroModelFile} checked, never the user's
 * path, which could change after the check.
 *
 * <p>The copy lives in the model cache folder, named by its content, and {@link #file()} makes it again
 * whenever it is missing or differs from the checked bytes. It used to be a temp file made once per
 * detector: a tmp cleaner (systemd-tmpfiles, tmpwatch) deletes such a file after some days, and every
 * VAD context made after that, for each call beyond the ones already pooled, failed to load. When the
 * cache folder cannot be written, a private temp folder is used instead, made again when it is gone.
 */
final class CheckedVadCopy {
    private static final Logger LOG = LoggerFactory.getLogger(CheckedVadCopy.class);
    /** Beside the models in the cache, where a user looking for what takes space finds it. */
    static final String FOLDER = "checked-vad";

    private final byte[] checked;
    private final String name;
    private final Path cacheFolder;
    private Path tempFolder;

    CheckedVadCopy(byte[] checked, Path cacheDir) {
        this.checked = checked.clone();
        this.name = "silero-" + sha256(checked).substring(0, 32) + ".bin";
        this.cacheFolder = cacheDir.resolve(FOLDER);
    }

    /**
     * A file that holds exactly the checked bytes now: the one there if it does (compared byte for byte,
     * under 1 MB), else written again. Called before each new context is loaded, which is rare: contexts
     * are pooled.
     */
    synchronized Path file() throws IOException {
        if (tempFolder == null) {
            try {
                return ensureIn(cacheFolder);
            } catch (IOException e) {
                LOG.warn("cannot keep the checked copy of the VAD model in {} ({}); using a private temp folder",
                        cacheFolder, e.toString());
            }
        }
        if (tempFolder == null || !Files.isDirectory(tempFolder, LinkOption.NOFOLLOW_LINKS)) {
            // a new one, never the old name again: a cleaned /tmp name can be taken by anyone meanwhile
            tempFolder = Files.createTempDirectory("whisper-vad-"); // owner-only on POSIX
        }
        return ensureIn(tempFolder);
    }

    private Path ensureIn(Path folder) throws IOException {
        Path copy = folder.resolve(name);
        if (Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS) && Files.size(copy) == checked.length
                && Arrays.equals(checked, Files.readAllBytes(copy))) {
            return copy;
        }
        Files.createDirectories(folder);
        // written beside it, then renamed over it: a reader never sees half a file, and a link planted under
        // the name is replaced, not written through
        Path tmp = Files.createTempFile(folder, "." + name, ".tmp");
        try {
            Files.write(tmp, checked);
            Files.move(tmp, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return copy;
    }

    /** Removes a private temp folder; a copy in the cache stays for the next detector of the same model. */
    synchronized void close() {
        if (tempFolder == null) {
            return;
        }
        try {
            Files.deleteIfExists(tempFolder.resolve(name));
            Files.deleteIfExists(tempFolder);
        } catch (IOException e) {
            // a temp folder left behind; the tmp cleaner takes it
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
