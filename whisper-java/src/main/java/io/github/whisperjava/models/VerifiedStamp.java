package io.github.whisperjava.models;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a verification of a cached model found, kept beside it ({@code <file>.verified}): the file's
 * size, modification time and file key (device and inode on Linux) when it was verified, and its
 * digests. While the file still has that size, time and key it is the file that was verified, and
 * using it costs a stat and a read of this note instead of hashing up to 3 GB again. A file rewritten
 * in place to the same size with its time set back is the one change this does not see.
 */
record VerifiedStamp(long size, long modifiedNanos, String fileKey, Digests digests) {
    private static final String HEADER = "whisper-java verified model";
    /** A stamp is a few hundred bytes: anything larger under its name is not one. */
    private static final int MAX_BYTES = 4096;

    static Path pathOf(Path model) {
        return model.resolveSibling(model.getFileName() + ".verified");
    }

    /** A stamp of {@code model} as it is now, with the digests just computed from it. */
    static VerifiedStamp of(Path model, Digests digests) throws IOException {
        BasicFileAttributes a = Files.readAttributes(model, BasicFileAttributes.class);
        return new VerifiedStamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), key(a), digests);
    }

    VerifiedStamp withDigests(Digests d) {
        return new VerifiedStamp(size, modifiedNanos, fileKey, d);
    }

    /** The stamp beside {@code model}, if there is a readable one (a link under its name is none). */
    static Optional<VerifiedStamp> read(Path model) {
        Path p = pathOf(model);
        try {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.size(p) > MAX_BYTES) {
                return Optional.empty();
            }
            String[] lines = Files.readString(p, StandardCharsets.UTF_8).split("\n");
            if (lines.length == 0 || !lines[0].equals(HEADER)) {
                return Optional.empty();
            }
            Map<String, String> f = new HashMap<>();
            for (String line : lines) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    f.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            String sha1 = f.getOrDefault("sha1", "");
            String sha256 = f.getOrDefault("sha256", "");
            if (!sha1.matches("[0-9a-f]{40}") || !sha256.matches("[0-9a-f]{64}") || !f.containsKey("key")) {
                return Optional.empty();
            }
            return Optional.of(new VerifiedStamp(Long.parseLong(f.get("size")), Long.parseLong(f.get("modified")),
                    f.get("key"), new Digests(sha1, sha256)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable or malformed: the file is verified again
        }
    }

    /** Whether {@code model} is still the file this stamp was made of. */
    boolean describes(Path model) {
        try {
            BasicFileAttributes a = Files.readAttributes(model, BasicFileAttributes.class);
            return a.size() == size && a.lastModifiedTime().to(TimeUnit.NANOSECONDS) == modifiedNanos
                    && key(a).equals(fileKey);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes the stamp beside {@code model}: to a temporary file first, then renamed over the old one, so a
     * reader never sees half a stamp and a link planted under its name is replaced, not written through.
     */
    void write(Path model) throws IOException {
        Path p = pathOf(model);
        Path tmp = Files.createTempFile(p.getParent(), "." + p.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, HEADER + "\nsize=" + size + "\nmodified=" + modifiedNanos + "\nkey=" + fileKey
                    + "\nsha1=" + digests.sha1() + "\nsha256=" + digests.sha256() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String key(BasicFileAttributes a) {
        return a.fileKey() == null ? "-" : a.fileKey().toString().replace('\n', ' ');
    }
}
