package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shim is built as distributions build shared libraries that parse hostile input: stack canaries
 * (-fstack-protector-strong), checked libc calls (_FORTIFY_SOURCE=2) and a GOT made read-only after
 * load (-z relro -z now). Read from the library the JVM loaded, with binutils' readelf.
 */
class NativeHardeningTest {
    @Test
    void theShimHasCanariesCheckedCallsAndFullRelro() throws Exception {
        Path shim = NativeLoader.load().resolve("libwhisper-jni.so");
        String dynamic = readelf("-d", "-W", shim.toString());
        assertTrue(dynamic.contains("BIND_NOW") || dynamic.matches("(?s).*FLAGS_1.*NOW.*"), dynamic);
        assertTrue(readelf("-l", "-W", shim.toString()).contains("GNU_RELRO"), "no RELRO segment");
        String symbols = readelf("--dyn-syms", "-W", shim.toString());
        assertTrue(symbols.contains("__stack_chk_fail"), "no stack protector: " + shim);
        assertTrue(symbols.contains("__snprintf_chk") || symbols.contains("__memcpy_chk"), "no fortified calls: " + shim);
    }

    private static String readelf(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("readelf"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.err.println("SKIPPED LOUDLY: readelf (binutils) is not installed: " + e.getMessage());
            Assumptions.abort("readelf is not installed");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
