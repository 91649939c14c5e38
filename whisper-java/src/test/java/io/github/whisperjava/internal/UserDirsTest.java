package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.TestJvm;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.models.ModelResolver;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process with no entry in /etc/passwd (a container run with an arbitrary UID, {@code --user 12345:0},
 * as OpenShift does) gets user.name and user.home "?" from the JVM. Its native cache is still its own
 * (owners are compared by uid, not by name) and its caches go under $HOME, else java.io.tmpdir, never
 * into a folder named "?" under the working directory. Each case is a fresh JVM with those properties.
 */
class UserDirsTest {
    @TempDir
    Path tmp;

    private String run(String name, Map<String, String> env, String... jvmArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("-Duser.name=?", "-Duser.home=?",
                "-Dwhisper.native.cache=")); // blank: the default location (TestJvm names the build's)
        args.addAll(List.of(jvmArgs));
        ProcessBuilder pb = TestJvm.builder(tmp, Map.of(), args, Main.class).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().remove("XDG_CACHE_HOME");
        pb.environment().remove("HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + " did not finish");
        String out = Files.readString(tmp.resolve(name + ".log"));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("whisper.cpp 1.9.1"), out);
        assertFalse(Files.exists(tmp.resolve("?"), LinkOption.NOFOLLOW_LINKS), "a folder named ? in the working directory");
        return out;
    }

    @Test
    void withoutAPasswdEntryTheCachesAreUnderHomeAndTheNativeCacheIsOurs() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        String out = run("home", Map.of("HOME", home.toString()));
        assertFalse(out.contains("not loading code") || out.contains(" WARN "), out);
        Path natives = home.resolve(".cache/whisper-java/natives");
        try (Stream<Path> s = Files.list(natives)) {
            assertEquals(1, s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{16}")).count(),
                    "the libraries were not extracted into " + natives + ":\n" + out);
        }
        assertTrue(out.contains("models=" + home.resolve(".cache/whisper-java/models")), out);
    }

    @Test
    void withoutAUsableHomeTheCachesAreInAFolderOfOursUnderTmpdir() throws Exception {
        Path tmpdir = Files.createDirectories(tmp.resolve("t"));
        int uid = (Integer) Files.getAttribute(Files.createFile(tmp.resolve("probe")), "unix:uid");
        String out = run("tmpdir", Map.of("HOME", tmp.resolve("missing").toString()), "-Djava.io.tmpdir=" + tmpdir);
        Path base = tmpdir.resolve("whisper-java-" + uid);
        assertTrue(out.contains("models=" + base.resolve("whisper-java/models")), out);
        assertTrue(Files.isDirectory(base.resolve("whisper-java/natives")), out);
        assertEquals(uid, Files.getAttribute(base, "unix:uid"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
    }

    public static final class Main {
        public static void main(String[] args) {
            System.out.println("whisper.cpp " + Whisper.whisperCppVersion());
            System.out.println("models=" + ModelResolver.fromEnvironment().cacheDir());
        }
    }
}
