package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.WhisperException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which native folder a JVM gets, for the os.name/os.arch pairs real JVMs report. Through the pure
 * {@code platform(os, arch)}: faking the system properties themselves would change them for every other
 * test of the fork, and the real load must keep working.
 */
class NativePlatformTest {

    @Test
    void linuxOnBothArchitecturesMapsToTheJarFolders() {
        assertEquals("linux-x86_64", NativeLoader.platform("Linux", "amd64"));
        assertEquals("linux-x86_64", NativeLoader.platform("Linux", "x86_64"));
        assertEquals("linux-aarch64", NativeLoader.platform("Linux", "aarch64"));
        assertEquals("linux-aarch64", NativeLoader.platform("Linux", "arm64"));
    }

    @Test
    void thisJvmIsSupported() {
        // the machines that run this suite are all supported; this is the path load() takes
        assertTrue(NativeLoader.SUPPORTED.contains(NativeLoader.platform()));
    }

    @Test
    void windowsMacAndOtherArchitecturesGetAnErrorNamingWhatIsSupported() {
        for (String[] p : new String[][] {
                {"Windows 11", "amd64"}, {"Mac OS X", "aarch64"}, {"Mac OS X", "x86_64"},
                {"Linux", "ppc64le"}, {"Linux", "arm"}, {"Linux", "riscv64"}, {"FreeBSD", "amd64"}}) {
            WhisperException e = assertThrows(WhisperException.class, () -> NativeLoader.platform(p[0], p[1]));
            String m = e.getMessage();
            assertTrue(m.contains(p[0]) && m.contains(p[1]), m);
            assertTrue(m.contains("supported: linux-x86_64, linux-aarch64"), m);
            assertTrue(m.contains("glibc 2.34"), m);
        }
    }

    @Test
    void muslIsRecognisedFromTheProcessMappings() {
        assertTrue(NativeLoader.isMusl(Stream.of(
                "7f00-7f10 r-xp 00000000 08:01 123 /lib/ld-musl-x86_64.so.1")));
        assertTrue(NativeLoader.isMusl(Stream.of(
                "7f00-7f10 r-xp 00000000 08:01 123 /usr/lib/libc.musl-aarch64.so.1")));
        assertFalse(NativeLoader.isMusl(Stream.of(
                "7f00-7f10 r-xp 00000000 08:01 123 /usr/lib/x86_64-linux-gnu/libc.so.6",
                "7f20-7f30 r-xp 00000000 08:01 124 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")));
        String m = NativeLoader.muslMessage();
        assertTrue(m.contains("musl") && m.contains("linux-x86_64, linux-aarch64"), m);
    }

    @Test
    void thisJvmRunsOnGlibc() {
        // the real check on the real mappings passes here, or no test could load the natives
        NativeLoader.requireGlibc();
    }
}
