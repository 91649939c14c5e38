package io.github.whisperjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example, compiled and run as it stands, so that the first code a newcomer copies
 * keeps working: in a fresh JVM, in a folder holding its call.mp3 and b.flac (jfk.wav as MP3 and FLAC),
 * on the for-tests tiny model (no text: it checks that the calls run and b.srt is written, not words).
 */
class ReadmeExampleTest {
    static final Path README = Paths.get(System.getProperty("user.dir")).resolve("../README.md").normalize();
    static final Path AUDIO = Paths.get(System.getProperty("whisper.audio.fixtures"));

    @TempDir
    Path tmp;

    @Test
    void theReadmesJavaExampleCompilesAndRuns() throws Exception {
        Matcher m = Pattern.compile("(?s)```java\n(.*?)```").matcher(Files.readString(README));
        assertTrue(m.find(), "no ```java block in " + README);
        String source = "import io.github.whisperjava.*;\nimport io.github.whisperjava.audio.*;\n"
                + "import io.github.whisperjava.output.*;\nimport java.nio.file.Path;\nimport java.time.Duration;\n"
                + "public class ReadmeExample {\n    public static void main(String[] args) throws Exception {\n"
                + m.group(1) + "    }\n}\n";
        Path src = Files.writeString(tmp.resolve("ReadmeExample.java"), source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = System.getProperty("java.class.path");
        assertEquals(0, javac.run(null, null, null, "-cp", classpath, "-d", tmp.toString(), src.toString()),
                "the README's example does not compile:\n" + source);

        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.copy(AUDIO.resolve("jfk.mp3"), work.resolve("call.mp3"));
        Files.copy(AUDIO.resolve("jfk.flac"), work.resolve("b.flac"));
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", tmp + File.pathSeparator + classpath,
                "-Dwhisper.model.path=" + InProcessCli.TINY,
                "-Dwhisper.vad.model=" + System.getProperty("whisper.vad.model"),
                "-Dwhisper.native.cache=" + System.getProperty("whisper.native.cache"),
                "ReadmeExample")).directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(Files.isRegularFile(work.resolve("b.srt")), "no b.srt:\n" + out);
    }
}
