package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.TestJvm;
import io.github.whisperjava.Whisper;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** whisper.cpp's log reaches SLF4J as whole lines, and lines SLF4J would not print never leave C. */
class NativeLogTest {
    static final Path TINY = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"),
            "models/for-tests-ggml-tiny.bin");

    @TempDir
    Path tmp;

    @Test
    void linesBelowTheLoggersLevelCostNoUpcall() {
        // this JVM logs at INFO: whisper.cpp's INFO chatter (dozens of lines per load) maps to DEBUG
        long unwanted = NativeLog.RECEIVED_UNWANTED.get();
        long received = NativeLog.RECEIVED.get();
        try (Whisper w = Whisper.load(TINY)) {
            w.transcribe(new float[16_000]);
        }
        assertEquals(0, NativeLog.RECEIVED_UNWANTED.get() - unwanted, "lines nobody prints were sent up");
        assertTrue(NativeLog.RECEIVED.get() - received >= 1, "the for-tests model's warning must still arrive");
    }

    @Test
    void atDebugEveryLineArrivesWhole() throws Exception {
        String out = TestJvm.run(tmp, "debug", Map.of(),
                List.of("-Dorg.slf4j.simpleLogger.log.io.github.whisperjava.native=debug"), Probe.class, TINY.toString());
        assertTrue(out.lines().anyMatch(l -> l.matches(".*DEBUG io\\.github\\.whisperjava\\.native - "
                + "whisper_model_load: n_vocab\\s+= 51865")), out);
        assertTrue(out.lines().noneMatch(l -> l.endsWith("native - ")), "an empty fragment became a line:\n" + out);
    }

    public static final class Probe {
        public static void main(String[] args) {
            try (Whisper w = Whisper.load(Paths.get(args[0]))) {
                w.transcribe(new float[16_000]);
            }
        }
    }
}
