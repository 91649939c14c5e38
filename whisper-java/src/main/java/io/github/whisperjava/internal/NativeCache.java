package io.github.whisperjava.internal;

import io.github.whisperjava.WhisperException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder the jar's native libraries are extracted to, and the rule for trusting it: a library is
 * loaded into this process, so a folder someone else can write to is a way to run their code in it.
 *
 * <ul>
 *   <li>The cache root must be owned by this user; if others may write to it, it is made owner-only.
 *       A root owned by someone else is not used: the libraries go to a fresh private temp folder.
 *   <li>Every file of a cached folder is re-hashed against {@code libs.txt} before each JVM loads it;
 *       a folder that fails is extracted again.
 *   <li>Temp folders of killed JVMs (older than an hour) and folders of other versions unused for 30
 *       days are removed.
 * </ul>
 */
final class NativeCache {
    private static final Logger LOG = LoggerFactory.getLogger(NativeCache.class);
    static final String LIBS_FILE = "libs.txt";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Duration STALE_TEMP = Duration.ofHours(1);
    private static final Duration UNUSED_VERSION = Duration.ofDays(30);
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    /** Private temp roots of this JVM: what is extracted there is deleted at exit. */
    private static final Set<Path> PRIVATE_ROOTS = ConcurrentHashMap.newKeySet();

    private NativeCache() {}

    record Entry(boolean load, String file, String sha256) {}

    /** A verified folder holding {@code entries}, extracting each from its {@code resourceOf} if needed. */
    static Path folder(Function<Entry, String> resourceOf, byte[] manifest, List<Entry> entries) {
        String digest = HexFormat.of().formatHex(newSha256().digest(manifest)).substring(0, 16);
        Path root = trustedRoot();
        Path target = root.resolve(digest);
        sweep(root, digest);
        Optional<String> problem = problem(target, manifest, entries);
        if (problem.isEmpty()) {
            markUsed(target);
            return target;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            LOG.warn("native cache {} failed verification ({}); extracting the libraries again", target,
                    problem.get());
        }
        try {
            Path tmp = Files.createTempDirectory(root, digest + ".tmp-");
            try {
                for (Entry e : entries) {
                    copyVerified(resourceOf.apply(e), tmp.resolve(e.file()), e.sha256());
                }
                Files.write(tmp.resolve(LIBS_FILE), manifest);
                ownerOnlyFiles(tmp); // whatever the umask: group-writable files would fail verification
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    LOG.debug("extracted native libraries to {}", target);
                } catch (FileSystemException e) {
                    // Another JVM won the race, or a bad folder is in the way. rename(2) onto a
                    // non-empty folder fails with ENOTEMPTY, which the JDK reports as a plain
                    // FileSystemException, not as DirectoryNotEmptyException: catch the parent type.
                    if (problem(target, manifest, entries).isPresent()) {
                        PathUtils.deleteDirectory(target);
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            } finally {
                if (Files.exists(tmp)) {
                    PathUtils.deleteDirectory(tmp);
                }
            }
        } catch (IOException e) {
            throw new WhisperException("cannot extract native libraries to " + root + ": " + e, e);
        }
        Optional<String> after = problem(target, manifest, entries);
        if (after.isPresent()) {
            throw new WhisperException("native libraries in " + target + " fail verification right after "
                    + "extraction (" + after.get() + "); is something else writing to that folder?");
        }
        if (PRIVATE_ROOTS.contains(root)) {
            target.toFile().deleteOnExit(); // registered first, so deleted after the files in it
            for (Entry e : entries) {
                target.resolve(e.file()).toFile().deleteOnExit();
            }
            target.resolve(LIBS_FILE).toFile().deleteOnExit();
        }
        return target;
    }

    /**
     * Why {@code dir} cannot be loaded from as it is, or empty: every listed file present, a regular
     * file of ours that only we may write, with the SHA-256 that libs.txt gives it.
     */
    static Optional<String> problem(Path dir, byte[] manifest, List<Entry> entries) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of("missing");
            }
            Optional<String> dirProblem = ownership(dir);
            if (dirProblem.isPresent()) {
                return dirProblem;
            }
            Path libs = dir.resolve(LIBS_FILE);
            if (!Files.isRegularFile(libs, LinkOption.NOFOLLOW_LINKS)
                    || !Arrays.equals(Files.readAllBytes(libs), manifest)) {
                return Optional.of(LIBS_FILE + " differs from the jar's");
            }
            for (Entry e : entries) {
                Path f = dir.resolve(e.file());
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.of(e.file() + " missing or not a regular file");
                }
                Optional<String> fileProblem = ownership(f);
                if (fileProblem.isPresent()) {
                    return fileProblem;
                }
                String actual = sha256(f);
                if (!actual.equals(e.sha256())) {
                    return Optional.of(e.file() + " has SHA-256 " + actual + ", expected " + e.sha256());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.toString());
        }
    }

    /** Not ours, or writable by others: such a file or folder could be swapped under us. */
    private static Optional<String> ownership(Path p) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return Optional.empty(); // no POSIX permissions on this file system: nothing to check
        }
        PosixFileAttributes a = view.readAttributes();
        Optional<String> owner = notMine(p, a, LinkOption.NOFOLLOW_LINKS);
        if (owner.isPresent()) {
            return owner;
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            return Optional.of(p + " is writable by others (" + PosixFilePermissions.toString(a.permissions()) + ")");
        }
        return Optional.empty();
    }

    /** By uid: a process with no passwd entry (a container's arbitrary UID) has user.name "?". */
    private static Optional<String> notMine(Path p, PosixFileAttributes a, LinkOption... options) throws IOException {
        if (UserDirs.isMine(p, options)) {
            return Optional.empty();
        }
        String me = UserDirs.uid().isPresent() ? "uid " + UserDirs.uid().getAsInt() : System.getProperty("user.name");
        return Optional.of(p + " is owned by " + a.owner().getName() + ", not " + me);
    }

    /**
     * The configured or default cache root, created owner-only; one that others may write to but that
     * is ours is made owner-only. One owned by someone else is refused for a private temp folder.
     */
    private static Path trustedRoot() {
        Path root = configuredRoot();
        try {
            if (!Files.exists(root)) {
                createOwnerOnly(root);
            }
            PosixFileAttributeView view = Files.getFileAttributeView(root, PosixFileAttributeView.class);
            if (view != null) {
                PosixFileAttributes a = view.readAttributes();
                Optional<String> owner = notMine(root, a);
                if (owner.isPresent()) {
                    Path priv = privateTemp();
                    LOG.warn("native cache {}: not loading code from it; using {} for this JVM", owner.get(), priv);
                    return priv;
                }
                if (!a.permissions().equals(OWNER_ONLY)) {
                    LOG.info("native cache {} was {}; making it owner-only", root,
                            PosixFilePermissions.toString(a.permissions()));
                    view.setPermissions(OWNER_ONLY);
                }
            }
            if (Files.isWritable(root)) {
                return root;
            }
        } catch (IOException | SecurityException e) {
            LOG.debug("native cache {} not usable: {}", root, e.toString());
        }
        Path priv = privateTemp();
        LOG.info("native cache {} is not writable; using {} for this JVM", root, priv);
        return priv;
    }

    private static Path configuredRoot() {
        Optional<Path> given = ProcessSettings.nativeCache();
        if (given.isPresent()) {
            return given.get().toAbsolutePath();
        }
        String configured = Optional.ofNullable(System.getProperty("whisper.native.cache"))
                .orElse(System.getenv("WHISPER_NATIVE_CACHE"));
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath();
        }
        return UserDirs.cacheHome().resolve("whisper-java").resolve("natives").toAbsolutePath();
    }

    private static void createOwnerOnly(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.exists(parent)) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException raced) {
            // another JVM made it; trustedRoot checks it like any other
        } catch (UnsupportedOperationException noPosix) {
            Files.createDirectories(dir);
        }
    }

    /** An unpredictable folder only this user can enter (the JDK creates temp folders owner-only). */
    private static Path privateTemp() {
        try {
            Path p = Files.createTempDirectory("whisper-java-natives-");
            p.toFile().deleteOnExit();
            PRIVATE_ROOTS.add(p);
            return p;
        } catch (IOException e) {
            throw new WhisperException("no writable native cache and no private temp folder: " + e, e);
        }
    }

    /** Removes what killed JVMs and old versions left behind, never the current version's folder. */
    private static void sweep(Path root, String current) {
        Instant now = Instant.now();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                boolean temp = name.matches("[0-9a-f]{16}\\.tmp-.*");
                boolean otherVersion = name.matches("[0-9a-f]{16}") && !name.equals(current);
                if (!temp && !otherVersion) {
                    continue;
                }
                Path stamp = temp ? p : p.resolve(LIBS_FILE);
                FileTime used = Files.exists(stamp, LinkOption.NOFOLLOW_LINKS)
                        ? Files.getLastModifiedTime(stamp, LinkOption.NOFOLLOW_LINKS)
                        : Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
                Duration age = Duration.between(used.toInstant(), now);
                if (age.compareTo(temp ? STALE_TEMP : UNUSED_VERSION) > 0) {
                    PathUtils.deleteDirectory(p);
                    LOG.info("removed {} from the native cache ({}, {} days old)", name,
                            temp ? "left by a killed JVM" : "another version, unused", age.toDays());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("native cache sweep of {} stopped: {}", root, e.toString());
        }
    }

    /** libs.txt's modification time says when a version was last used; refreshed once a day at most. */
    private static void markUsed(Path dir) {
        Path libs = dir.resolve(LIBS_FILE);
        try {
            Instant now = Instant.now();
            if (Files.getLastModifiedTime(libs).toInstant().isBefore(now.minus(Duration.ofDays(1)))) {
                Files.setLastModifiedTime(libs, FileTime.from(now));
            }
        } catch (IOException e) {
            LOG.debug("cannot mark {} as used: {}", dir, e.toString());
        }
    }

    private static void ownerOnlyFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                PosixFileAttributeView view = Files.getFileAttributeView(f, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (view != null) {
                    view.setPermissions(FILE_PERMISSIONS);
                }
            }
        }
    }

    private static void copyVerified(String resource, Path dest, String expected) throws IOException {
        MessageDigest md = newSha256();
        try (InputStream in = NativeLoader.resourceStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            Files.copy(new DigestInputStream(in, md), dest);
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equals(expected)) {
            throw new IOException(resource + " is corrupt: SHA-256 " + actual + ", expected " + expected);
        }
    }

    private static String sha256(Path f) throws IOException {
        MessageDigest md = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
