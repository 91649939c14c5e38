package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.TestJvm;
import io.github.whisperjava.Whisper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs starting at once on an empty native cache all load the libraries, and leave one whole
 * folder. (The loser of the rename race used to fail with "Directory not empty".)
 */
class NativeExtractionTest {
    @TempDir
    Path tmp;

    @Test
    void fourJvmsExtractingAtOnceAllSucceed() throws Exception {
        Path cache = tmp.resolve("natives");
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ps.add(TestJvm.start(tmp, "jvm" + i, Map.of(), List.of("-Dwhisper.native.cache=" + cache), Main.class));
        }
        for (int i = 0; i < ps.size(); i++) {
            assertTrue(ps.get(i).waitFor(120, TimeUnit.SECONDS));
            String out = Files.readString(tmp.resolve("jvm" + i + ".log"));
            assertEquals(0, ps.get(i).exitValue(), out);
            assertTrue(out.contains("whisper.cpp 1.9.1"), out);
        }
        try (Stream<Path> s = Files.list(cache)) {
            List<String> left = s.map(p -> p.getFileName().toString()).toList();
            assertEquals(1, left.size(), "one digest folder and no temp folders: " + left);
        }
    }

    public static final class Main {
        public static void main(String[] args) {
            System.out.println("whisper.cpp " + Whisper.whisperCppVersion());
        }
    }
}
