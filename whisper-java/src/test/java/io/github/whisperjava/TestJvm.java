package io.github.whisperjava;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fresh JVM on this test run's classpath, isolated from whatever the machine or an earlier run left:
 * natives come from the build's own extraction folder, never {@code ~/.cache}, every inherited
 * {@code WHISPER_*} variable is dropped (a developer's WHISPER_MODEL_SIZE must not change a test), and
 * a crash writes its hs_err file into {@code dir}, where the caller can look for it.
 */
public final class TestJvm {
    private TestJvm() {}

    public static ProcessBuilder builder(Path dir, Map<String, String> env, List<String> jvmArgs, Class<?> main,
            String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dwhisper.native.cache=" + System.getProperty("whisper.native.cache",
                Paths.get("target", "native-cache").toAbsolutePath().toString()));
        cmd.add("-Dwhisper.shared.dir=" + TestData.SHARED);
        cmd.add("-Dwhisper.cpp.bin=" + TestData.CPP_BIN);
        cmd.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WHISPER_"));
        pb.environment().putAll(env);
        return pb;
    }

    /** Starts it with stdout and stderr together in {@code dir/<name>.log}. */
    public static Process start(Path dir, String name, Map<String, String> env, List<String> jvmArgs,
            Class<?> main, String... args) throws IOException {
        return builder(dir, env, jvmArgs, main, args).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    /**
     * Starts it as {@link #start} does and waits for its end (at most 120 s): returns what it printed,
     * and fails unless it exited with 0.
     */
    public static String run(Path dir, String name, Map<String, String> env, List<String> jvmArgs, Class<?> main,
            String... args) throws IOException, InterruptedException {
        Process p = start(dir, name, env, jvmArgs, main, args);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish within 120 s:\n" + Files.readString(dir.resolve(name + ".log")));
        }
        String out = Files.readString(dir.resolve(name + ".log"));
        if (p.exitValue() != 0) {
            throw new AssertionError(name + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }
}
