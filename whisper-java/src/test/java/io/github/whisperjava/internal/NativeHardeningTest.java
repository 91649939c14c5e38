package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
        String dynamic = Readelf.run("-d", "-W", shim.toString());
        assertTrue(dynamic.contains("BIND_NOW") || dynamic.matches("(?s).*FLAGS_1.*NOW.*"), dynamic);
        assertTrue(Readelf.run("-l", "-W", shim.toString()).contains("GNU_RELRO"), "no RELRO segment");
        String symbols = Readelf.run("--dyn-syms", "-W", shim.toString());
        assertTrue(symbols.contains("__stack_chk_fail"), "no stack protector: " + shim);
        assertTrue(symbols.contains("__snprintf_chk") || symbols.contains("__memcpy_chk"), "no fortified calls: " + shim);
    }
}
