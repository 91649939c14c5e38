package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model under a path of over 1,024 bytes loads, and a path that long in whisper.cpp's "loading VAD model
 * from" line (the VAD model's checked copy, kept under the models cache, WHISPER_MODELS_DIR) passes its
 * logger's 1,024-byte first buffer. (whisper.cpp reads the whisper model through our reader, and so logs
 * no path for it.) whisper_log_internal formatted such a line a second time from a va_list it had already read
 * (undefined behaviour: garbage in place of the path here, a SIGSEGV with longer text); our patch
 * cpp/patches/whisper-log-va-copy.patch copies it. In a fresh JVM, so that a crash is a failed test
 * with its hs_err file, not a lost test run.
 */
class LongModelPathTest {
    @TempDir
    Path tmp;

    @Test
    void aModelUnderAPathOfOver1024BytesLoadsAndIsLoggedByItsName() throws Exception {
        Path dir = tmp;
        for (int i = 0; i < 7; i++) {
            dir = dir.resolve(String.valueOf((char) ('a' + i)).repeat(200));
        }
        Files.createDirectories(dir);
        Path model = Files.copy(TestData.forTestsModel("tiny"), dir.resolve("for-tests-ggml-tiny.bin"));
        assertTrue(dir.toString().length() > 1_400, "the line must not fit whisper.cpp's first buffer");
        String out = TestJvm.run(tmp, "long-path", Map.of("WHISPER_MODELS_DIR", dir.toString()),
                List.of("-Dorg.slf4j.simpleLogger.log.io.github.whisperjava.native=debug"),
                Probe.class, model.toString(), TestData.SHARED.resolve("models/for-tests-silero-v6.2.0-ggml.bin").toString());
        assertTrue(out.matches("(?s).*loading VAD model from '" + Pattern.quote(dir.toString())
                + "/checked-vad/silero-[0-9a-f]{32}\\.bin'.*"), "the path, logged whole:\n" + out);
        assertTrue(out.contains("transcribed: 1000 ms"), out);
    }

    public static final class Probe {
        public static void main(String[] args) throws Exception {
            try (Whisper w = Whisper.load(Path.of(args[0]))) {
                float[] second = new float[16_000];
                System.out.println("transcribed: " + w.transcribe(second).audioDurationMs() + " ms");
                w.detectSpeech(second, VadOptions.DEFAULTS.withModel(Path.of(args[1])));
            }
        }
    }
}
