package io.github.whisperjava;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

    /**
     * {@code jvmArgs}, and {@code -Dwhisper.native.path} when this JVM has one (cpp/tools/test-cpu-variants.sh):
     * for a child that must run on the same natives, not on those extracted from the jar.
     */
    public static List<String> withNativePath(String... jvmArgs) {
        List<String> out = new ArrayList<>(List.of(jvmArgs));
        String natives = System.getProperty("whisper.native.path");
        if (natives != null && !natives.isBlank()) {
            out.add("-Dwhisper.native.path=" + natives);
        }
        return out;
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

    /**
     * Runs {@code main} in a fresh JVM until it prints a line starting with "ready", caps its address
     * space at what it uses then plus {@code headroomKb} (prlimit, so the cap covers native allocations
     * too), writes a newline to its stdin to let it go on, and returns everything it printed. Fails if
     * it crashed (an hs_err file in {@code dir}), did not end within 120 s, or exited with anything but 0.
     * The caller skips loudly where {@link #PRLIMIT} is missing.
     */
    public static String runUnderAddressCap(Path dir, List<String> jvmArgs, Class<?> main, long headroomKb)
            throws IOException, InterruptedException {
        Process p = builder(dir, Map.of(), jvmArgs, main).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("ready")) {
            log.append(line).append('\n');
        }
        if (line == null) {
            throw new AssertionError("the probe did not start:\n" + log);
        }
        long vmKb = Files.readAllLines(Paths.get("/proc/" + p.pid() + "/status")).stream()
                .filter(l -> l.startsWith("VmSize:")).map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst()
                .orElseThrow();
        long cap = (vmKb + headroomKb) * 1024;
        Process limit = new ProcessBuilder(PRLIMIT.toString(), "--pid", Long.toString(p.pid()),
                "--as=" + cap + ":" + cap).redirectErrorStream(true).start();
        String limitOut = new String(limit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!limit.waitFor(30, TimeUnit.SECONDS) || limit.exitValue() != 0) {
            throw new AssertionError("prlimit failed: " + limitOut);
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write('\n');
        }
        while ((line = out.readLine()) != null) {
            log.append(line).append('\n');
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe did not end within 120 s:\n" + log);
        }
        List<Path> crashes = crashFiles(dir);
        if (!crashes.isEmpty()) {
            throw new AssertionError("the JVM crashed (" + crashes + "):\n" + log);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("exit code " + p.exitValue() + "; output:\n" + log);
        }
        return log.toString();
    }

    /** The hs_err files that JVMs started here with {@code dir} wrote there: their crashes. */
    public static List<Path> crashFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
        }
    }

    /** util-linux's prlimit, which {@link #runUnderAddressCap} needs. */
    public static final Path PRLIMIT = Paths.get("/usr/bin/prlimit");
}
