package io.github.whisperjava;

import io.github.whisperjava.fixtures.ModelFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the GPU modules' tests need of whisper-java's test support (whose test jar carries only the
 * fixtures): the shared data, the random-weights fixture, and a fresh JVM on this class path.
 */
final class GpuTestSupport {
    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir", "../../shared")).toAbsolutePath().normalize();
    static final Path JFK_WAV = SHARED.resolve("audio/jfk.wav");
    static final Path CPP_BIN = Paths.get(System.getProperty("whisper.cpp.bin", "../whisper-jni/target/cmake/whisper.cpp/bin"))
            .toAbsolutePath().normalize();

    private GpuTestSupport() {}

    static Path forTestsModel(String size) {
        Path p = SHARED.resolve("models/for-tests-ggml-" + size + ".bin");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("shared test model missing: " + p);
        }
        return p;
    }

    /** The random-weights fixture of whisper-java's tests (seed 42), generated once into its folder. */
    static Path fixture(String size, String quant) {
        return ModelFixture.generateUnchecked(size, quant,
                Paths.get(System.getProperty("whisper.fixtures.dir", "target/fixtures")), SHARED.resolve("models"),
                CPP_BIN, 42);
    }

    /** A fresh JVM: this class path, the build's natives cache, no inherited WHISPER_* setting, hs_err into dir. */
    static ProcessBuilder jvm(Path dir, Map<String, String> env, List<String> jvmArgs, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dwhisper.native.cache=" + System.getProperty("whisper.native.cache",
                Paths.get("target", "native-cache").toAbsolutePath().toString()));
        cmd.add("-Dwhisper.shared.dir=" + SHARED);
        cmd.add("-Xcheck:jni");
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
}
