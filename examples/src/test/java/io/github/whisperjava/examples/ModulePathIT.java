package io.github.whisperjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's built jars as an application on the module path uses them: it requires
 * {@code io.github.whisperjava}, finds the natives in the {@code io.github.whisperjava.jni} module, and
 * cannot reach the JNI layer, whose methods take raw pointers, either by compiling against it or by
 * reflection.
 */
class ModulePathIT {
    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir")).toAbsolutePath().normalize();
    static final Path JFK = SHARED.resolve("audio/jfk.wav");
    static final Path TINY = SHARED.resolve("models/for-tests-ggml-tiny.bin");
    static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    @TempDir
    Path tmp;

    /** The library and what it needs, as this test's class path has them (jars after `package`). */
    static String modulePath() {
        List<String> wanted = List.of("whisper-java-", "whisper-jni-", "slf4j-api-", "slf4j-simple-", "commons-io-");
        List<String> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Paths.get(entry).getFileName().toString();
            // the artifact name, then its version: whisper-java-0.1.0.jar, not whisper-java-examples-0.1.0.jar
            if (wanted.stream().anyMatch(w -> name.matches(Pattern.quote(w) + "\\d[^/]*\\.jar"))
                    && !name.endsWith("-tests.jar")) {
                found.add(entry);
            }
        }
        assertEquals(wanted.size(), found.size(), "expected one jar each of " + wanted + ", found " + found);
        return String.join(File.pathSeparator, found);
    }

    Path writeModule(String name, String mainSource) throws IOException {
        Path src = tmp.resolve("src").resolve(name);
        Files.createDirectories(src.resolve("demo"));
        Files.writeString(src.resolve("module-info.java"), "module " + name + " { requires io.github.whisperjava; }\n");
        Files.writeString(src.resolve("demo/Main.java"), mainSource);
        return src;
    }

    /** Compiles a module; returns javac's diagnostics, or null when it compiled. */
    String compile(Path src, Path out) throws IOException {
        // an empty class path: javac would otherwise take this test's, where the library is in the unnamed module
        Path noClasses = Files.createDirectories(tmp.resolve("no-classes"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-p", modulePath(), "-cp", noClasses.toString()));
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = JAVAC.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        return rc == 0 ? null : diagnostics.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anApplicationOnTheModulePathTranscribesAndIsRefusedTheJniLayer() throws Exception {
        assertNotNull(JAVAC, "this test needs a JDK");
        Path src = writeModule("demo.app", """
                package demo;

                import io.github.whisperjava.TranscribeParams;
                import io.github.whisperjava.Transcript;
                import io.github.whisperjava.Whisper;
                import java.lang.reflect.InaccessibleObjectException;
                import java.nio.file.Path;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        try (Whisper w = Whisper.load(Path.of(args[0]))) {
                            Transcript t = w.transcribe(Path.of(args[1]),
                                    TranscribeParams.builder().threads(2).maxTokensPerSegment(8).build());
                            System.out.println("transcribed " + t.audioDurationMs() + " ms in " + t.language());
                        }
                        Class<?> jni = Class.forName("io.github.whisperjava.internal.WhisperJni");
                        try {
                            var free = jni.getDeclaredMethod("freeContext", long.class);
                            free.setAccessible(true);
                            free.invoke(null, 16L);
                            System.out.println("jni layer: reachable");
                        } catch (InaccessibleObjectException e) {
                            System.out.println("jni layer: refused");
                        }
                    }
                }
                """);
        Path out = tmp.resolve("out");
        String errors = compile(src, out);
        assertEquals(null, errors, "the demo module did not compile");

        List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xcheck:jni",
                "-Dwhisper.native.cache=" + tmp.resolve("cache"), "-p", modulePath() + File.pathSeparator + out,
                "-m", "demo.app/demo.Main", TINY.toString(), JFK.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().remove("LD_LIBRARY_PATH");
        pb.environment().keySet().removeIf(k -> k.startsWith("WHISPER_"));
        pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the demo hung");
        String stdout = Files.readString(tmp.resolve("out.txt"));
        String stderr = Files.readString(tmp.resolve("err.txt"));
        assertEquals(0, p.exitValue(), stdout + stderr);
        assertTrue(stdout.contains("transcribed 11000 ms in en"), stdout + stderr);
        assertTrue(stdout.contains("jni layer: refused"), stdout + stderr);
        assertFalse(stderr.contains("WARNING in native method"), "-Xcheck:jni complained:\n" + stderr);
        assertTrue(stderr.contains("CPU backend"), "the natives module was not found:\n" + stderr);
    }

    @Test
    void codeOutsideTheModuleCannotCompileAgainstTheJniLayer() throws Exception {
        assertNotNull(JAVAC, "this test needs a JDK");
        List<String> types = List.of("io.github.whisperjava.internal.NativeModel", "io.github.whisperjava.internal.Timeouts");
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            Path src = writeModule("demo.sneaky." + (char) ('a' + i), """
                    package demo;

                    public class Main {
                        static Class<?> c = %s.class;
                    }
                    """.formatted(type));
            String errors = compile(src, tmp.resolve("out-" + i));
            assertNotNull(errors, "compiled against " + type);
            assertTrue(errors.contains("package io.github.whisperjava.internal is not visible")
                    && errors.contains("declared in module io.github.whisperjava, which does not export it"), errors);
        }
    }
}
