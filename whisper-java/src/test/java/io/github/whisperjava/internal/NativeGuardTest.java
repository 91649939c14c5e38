package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.TestJvm;
import io.github.whisperjava.WhisperException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calls into whisper.cpp made without a context go through the shim's C++ guard too. whisper_lang_id
 * copies the code it is given into a std::string: with the address space capped (prlimit RLIMIT_AS) so
 * that the shim's own copy of a 64 MiB code fits and whisper.cpp's does not, the std::bad_alloc must
 * be a WhisperException, not std::terminate. The API cannot send such a code (TranscribeParams allows
 * 16 characters), so the probe calls the shim directly: this tests the guard, not a user's path.
 * (ggml_backend_load_all_from_path and whisper_print_system_info are guarded the same way; neither
 * allocates enough, after a load that must already have succeeded, for a cap to fail it reliably.)
 */
class NativeGuardTest {
    static final int HUGE_CODE = 64 << 20;

    @TempDir
    Path tmp;

    @Test
    void badAllocLookingALanguageUpIsAJavaException() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(TestJvm.PRLIMIT),
                "SKIPPED LOUDLY: /usr/bin/prlimit (util-linux) is missing, cannot cap the address space");
        // -Xint: no JIT compiler allocating once capped; natives from the folder this JVM verified, since
        // verifying them again takes the interpreter 20 s; headroom for one 64 MiB copy, not two
        String log = TestJvm.runUnderAddressCap(tmp, List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xint",
                "-Dwhisper.native.path=" + NativeLoader.load()), Probe.class, 96 * 1024);
        assertTrue(log.contains("refused: whisper.cpp could not look the language up: out of memory (std::bad_alloc)"),
                log);
        assertTrue(log.contains("still alive"), log);
    }

    public static final class Probe {
        public static void main(String[] args) throws Exception {
            NativeLoader.load();
            new WhisperException("load the exception class before the address space is capped");
            byte[] code = "x".repeat(HUGE_CODE).getBytes(StandardCharsets.ISO_8859_1);
            System.out.println("ready");
            System.out.flush();
            System.in.read();
            try {
                int id = WhisperJni.langId(code);
                System.out.println("looked up (" + id + "): the cap was not low enough");
            } catch (WhisperException e) {
                System.out.println("refused: " + e.getMessage());
            }
            System.out.println("still alive");
        }
    }
}
