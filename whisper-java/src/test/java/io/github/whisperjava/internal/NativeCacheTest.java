package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.TestJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native cache is code this process loads: it is verified, not trusted. Each case runs a fresh JVM
 * (the loader runs once per JVM) on a cache folder of its own.
 */
class NativeCacheTest {
    @TempDir
    Path tmp;

    private Path cache() {
        return tmp.resolve("natives");
    }

    private String runJvm(String name) throws Exception {
        String out = TestJvm.run(tmp, name, Map.of(), List.of("-Dwhisper.native.cache=" + cache()),
                NativeExtractionTest.Main.class);
        assertTrue(out.contains("whisper.cpp 1.9.1"), out);
        return out;
    }

    private Path versionFolder() throws IOException {
        try (Stream<Path> s = Files.list(cache())) {
            List<Path> found = s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{16}"))
                    .filter(p -> !p.getFileName().toString().startsWith("fedcba98")).toList(); // not the planted ones
            assertEquals(1, found.size(), found.toString());
            return found.get(0);
        }
    }

    @Test
    void aTamperedLibraryIsExtractedAgainBeforeItIsLoaded() throws Exception {
        runJvm("first");
        Path lib = versionFolder().resolve("libwhisperjava-whisper.so.1");
        byte[] good = Files.readAllBytes(lib);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x5a; // same size, same time stamp: only the content says it changed
        FileTime mtime = Files.getLastModifiedTime(lib);
        Files.write(lib, bad);
        Files.setLastModifiedTime(lib, mtime);

        String out = runJvm("second");
        assertTrue(out.contains("failed verification") && out.contains("libwhisperjava-whisper.so.1 has SHA-256"), out);
        assertArrayEquals(good, Files.readAllBytes(lib), "the tampered file is still there");
    }

    @Test
    void whatKilledJvmsAndOldVersionsLeftIsSwept() throws Exception {
        Files.createDirectories(cache());
        Instant now = Instant.now();
        Path deadTemp = folder("0123456789abcdef.tmp-111", now.minus(Duration.ofHours(2)));
        Path liveTemp = folder("0123456789abcdef.tmp-222", now); // maybe another JVM extracting right now
        Path oldVersion = version("fedcba9876543210", now.minus(Duration.ofDays(40)));
        Path recentVersion = version("fedcba98765432aa", now.minus(Duration.ofDays(3)));

        runJvm("sweep");
        assertFalse(Files.exists(deadTemp), "temp folder of a killed JVM kept");
        assertFalse(Files.exists(oldVersion), "version unused for 40 days kept");
        assertTrue(Files.exists(liveTemp), "a fresh temp folder may belong to a running JVM");
        assertTrue(Files.exists(recentVersion), "a version used 3 days ago may still be in use");
        versionFolder(); // and ours
    }

    @Test
    void aCacheOthersMayWriteToIsMadeOwnerOnly() throws Exception {
        Files.createDirectories(cache());
        Files.setPosixFilePermissions(cache(), PosixFilePermissions.fromString("rwxrwxrwx"));
        String out = runJvm("perms");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache())), out);
        assertTrue(out.contains("making it owner-only"), out);
    }

    @Test
    void aCacheOwnedBySomeoneElseIsNotLoadedFrom() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "SKIPPED: giving a folder to another user needs root");
        Files.createDirectories(cache());
        UserPrincipal nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(cache(), nobody);
        Files.setPosixFilePermissions(cache(), PosixFilePermissions.fromString("rwxr-xr-x"));
        String out = runJvm("foreign");
        assertTrue(out.contains("is owned by nobody"), out);
        try (Stream<Path> s = Files.list(cache())) {
            assertEquals(List.of(), s.toList(), "nothing may be extracted into a folder someone else owns");
        }
    }

    private Path folder(String name, Instant time) throws IOException {
        Path p = Files.createDirectories(cache().resolve(name));
        Files.writeString(p.resolve("libwhisper.so"), "left over");
        Files.setLastModifiedTime(p, FileTime.from(time));
        return p;
    }

    private Path version(String name, Instant lastUsed) throws IOException {
        Path p = Files.createDirectories(cache().resolve(name));
        Path libs = Files.writeString(p.resolve("libs.txt"), "load libwhisper.so "
                + HexFormat.of().formatHex(new byte[32]) + "\n");
        Files.setLastModifiedTime(libs, FileTime.from(lastUsed));
        return p;
    }
}
