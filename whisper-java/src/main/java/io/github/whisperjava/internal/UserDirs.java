package io.github.whisperjava.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who this process is and where its caches go, also for a process with no entry in /etc/passwd: a
 * container run with an arbitrary UID ({@code --user 12345:0}, as OpenShift does). The JVM then reports
 * user.name and user.home as {@code ?}, so the process is known by its uid, and its home is $HOME, or a
 * folder of its own under java.io.tmpdir.
 */
public final class UserDirs {
    private static final Logger LOG = LoggerFactory.getLogger(UserDirs.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static volatile OptionalInt uid;

    private UserDirs() {}

    /**
     * Where per-user caches go ({@code whisper-java/natives}, {@code whisper-java/models} under it):
     * $XDG_CACHE_HOME; else {@code .cache} in user.home, or in $HOME when user.home is {@code ?} or not
     * usable; else {@code java.io.tmpdir/whisper-java-<uid>}, made owner-only.
     */
    public static Path cacheHome() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Paths.get(xdg).toAbsolutePath();
        }
        for (String home : List.of(String.valueOf(System.getProperty("user.home")),
                String.valueOf(System.getenv("HOME")))) {
            Optional<Path> cache = usableHome(home).map(h -> h.resolve(".cache"));
            if (cache.isPresent()) {
                return cache.get();
            }
        }
        return tmpdirHome();
    }

    /** An absolute folder this process may create {@code .cache} in, or whose {@code .cache} it may write to. */
    private static Optional<Path> usableHome(String home) {
        if (home.isBlank() || home.equals("?") || home.equals("null")) {
            return Optional.empty();
        }
        Path h = Paths.get(home);
        if (!h.isAbsolute() || !Files.isDirectory(h)) {
            return Optional.empty();
        }
        Path cache = h.resolve(".cache");
        return Files.isDirectory(cache) ? Optional.of(h).filter(x -> Files.isWritable(cache))
                : Optional.of(h).filter(Files::isWritable);
    }

    /**
     * {@code java.io.tmpdir/whisper-java-<uid>}: a shared temp folder is a place others can write to, so
     * the folder must be ours and owner-only; others cannot then swap what is cached below it.
     */
    private static Path tmpdirHome() {
        Path tmp = Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        Path base = tmp.resolve("whisper-java-" + uid().orElse(-1));
        try {
            try {
                Files.createDirectory(base, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException e) {
                // ours from an earlier run, or planted: checked below
            } catch (UnsupportedOperationException noPosix) {
                Files.createDirectories(base);
                return base;
            }
            if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS) || !isMine(base, LinkOption.NOFOLLOW_LINKS)) {
                Path own = Files.createTempDirectory("whisper-java-");
                LOG.warn("{} is not a folder of this user; caching in {} for this JVM", base, own);
                return own;
            }
            if (!Files.getPosixFilePermissions(base, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(base, OWNER_ONLY);
            }
        } catch (IOException e) {
            LOG.debug("no cache folder under {}: {}", tmp, e.toString());
        }
        return base;
    }

    /**
     * Whether {@code p} is owned by this process's user, compared by uid; by name where the uid cannot
     * be known (no {@code unix} file attributes).
     */
    public static boolean isMine(Path p, LinkOption... options) throws IOException {
        OptionalInt me = uid();
        if (me.isPresent()) {
            return ((Integer) Files.getAttribute(p, "unix:uid", options)) == me.getAsInt();
        }
        return Files.getOwner(p, options).getName().equals(System.getProperty("user.name"));
    }

    /**
     * The effective uid of this process: from /proc/self/status on Linux, else the owner of a file it
     * has just created; empty where the file system has no {@code unix} attributes.
     */
    public static OptionalInt uid() {
        OptionalInt u = uid;
        if (u == null) {
            u = readUid();
            uid = u;
        }
        return u;
    }

    private static OptionalInt readUid() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return OptionalInt.of(Integer.parseInt(line.substring(4).strip().split("\\s+")[1]));
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // below
        }
        try {
            Path probe = Files.createTempFile("whisper-java-uid-", "");
            try {
                return OptionalInt.of((Integer) Files.getAttribute(probe, "unix:uid"));
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}
