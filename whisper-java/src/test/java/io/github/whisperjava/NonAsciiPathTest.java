package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose path is not ASCII reaches whisper.cpp as the bytes the file system knows it by, which
 * depend on the locale (sun.jnu.encoding), not always UTF-8. Each locale runs in a JVM of its own.
 */
class NonAsciiPathTest {
    static final String NAME = "modèle-日本語-🎙.bin";

    @TempDir
    Path tmp;

    private String run(String locale, String mode) throws Exception {
        String out = TestJvm.run(tmp, mode, Map.of("LC_ALL", locale, "LANG", locale), List.of(), Probe.class, mode,
                tmp.toString());
        assertTrue(TestJvm.crashFiles(tmp).isEmpty(), out);
        return out;
    }

    @Test
    void utf8LocaleLoadsAndTranscribesAndTheCLocaleGetsAClearError() throws Exception {
        String utf8 = run("C.UTF-8", "create");
        assertTrue(utf8.contains("transcribed from " + NAME), utf8);

        // under C the JDK cannot spell the name (ASCII only): a clear exception, not a wrong file
        String c = run("C", "list");
        assertTrue(c.contains("refused: ModelLoadException") && c.contains("file-system encoding"), c);
    }

    /** create: copies the tiny model to a non-ASCII name and transcribes with it; list: finds it and loads it. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Path dir = Paths.get(args[1]);
            if (args[0].equals("create")) {
                Path model = Files.copy(TestData.forTestsModel("tiny"), dir.resolve(NAME));
                try (Whisper w = Whisper.load(model)) {
                    w.transcribe(new float[16_000], TranscribeParams.builder().threads(1).build());
                }
                System.out.println("transcribed from " + model.getFileName());
                return;
            }
            Path model;
            try (Stream<Path> s = Files.list(dir)) {
                model = s.filter(f -> f.toString().endsWith(".bin")).findFirst().orElseThrow();
            }
            try (Whisper w = Whisper.load(model)) {
                System.out.println("loaded " + model);
            } catch (WhisperException e) {
                System.out.println("refused: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
