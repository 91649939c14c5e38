package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.TestJvm;
import io.github.whisperjava.Whisper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our libraries cannot be confused with another ggml or whisper.cpp build in the same process. The
 * dynamic linker satisfies a DT_NEEDED entry with any loaded library of that SONAME, whatever its path:
 * with upstream's names (libggml-base.so.0, libggml.so.0, libwhisper.so.1) another ggml-based JNI library
 * loaded first would supply ggml to ours, or ours to it.
 */
class NativeSonameTest {
    static final Path TINY = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"),
            "models/for-tests-ggml-tiny.bin");
    /** SONAMEs an upstream build gives: libwhisper.so.1, libggml.so.0, libggml-base.so.0, libggml-cuda.so.0... */
    static final Pattern UPSTREAM_NAME = Pattern.compile("lib(whisper|ggml(-[a-z0-9_.]+)?)\\.so(\\.[0-9.]+)?");

    @TempDir
    Path tmp;

    /** Every shipped library: a SONAME of ours (or none: the CPU variants, opened by path), and ggml or
     *  whisper.cpp needed only under our names. */
    @Test
    void everyShippedLibraryHasOurNameAndNeedsOnlyOurs() throws Exception {
        Path dir = NativeLoader.load();
        List<Path> libs = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("libs.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                libs.add(dir.resolve(line.split("\\s+")[1]));
            }
        }
        assertTrue(libs.size() >= 5, "libs.txt lists " + libs);
        Set<String> ours = new TreeSet<>();
        Set<String> wrong = new TreeSet<>();
        List<String[]> needs = new ArrayList<>();
        for (Path lib : libs) {
            String dynamic = Readelf.run("-d", "-W", lib.toString());
            Matcher soname = Pattern.compile("\\(SONAME\\)\\s+Library soname: \\[([^\\]]+)\\]").matcher(dynamic);
            String name = lib.getFileName().toString();
            if (soname.find()) {
                ours.add(soname.group(1));
                if (UPSTREAM_NAME.matcher(soname.group(1)).matches()) {
                    wrong.add(name + " has the upstream SONAME " + soname.group(1));
                }
                if (!soname.group(1).equals(name)) {
                    wrong.add(name + " is not staged under its SONAME " + soname.group(1));
                }
            } else if (!name.startsWith("libggml-")) {
                wrong.add(name + " has no SONAME, and is not a backend module ggml opens by path");
            }
            Matcher needed = Pattern.compile("\\(NEEDED\\)\\s+Shared library: \\[([^\\]]+)\\]").matcher(dynamic);
            while (needed.find()) {
                needs.add(new String[] {name, needed.group(1)});
            }
        }
        for (String[] n : needs) {
            if (n[1].matches(".*(ggml|whisper).*") && !ours.contains(n[1])) {
                wrong.add(n[0] + " needs " + n[1] + ", which is not one of ours " + ours);
            }
        }
        assertEquals(Set.of(), wrong);
        assertTrue(ours.stream().anyMatch(s -> s.startsWith("libwhisperjava-ggml-base.so")), "SONAMEs: " + ours);
    }

    /**
     * Another library with upstream's SONAME libggml-base.so.0 (a decoy that defines nothing of ggml) is
     * loaded into the JVM first; ours must still load and transcribe, bound to our own ggml-base. With
     * upstream names our libggml.so.0 was bound to the decoy: "undefined symbol".
     */
    @Test
    void anUpstreamNamedGgmlLoadedFirstIsNotBoundByOurs() throws Exception {
        Path decoy = decoy();
        String out = TestJvm.run(tmp, "decoy-first", Map.of(), TestJvm.withNativePath(), DecoyFirst.class, decoy.toString(),
                TINY.toString());
        assertTrue(out.contains("transcribed"), out);
    }

    /** The other way round: a library built against an upstream-named ggml-base, loaded after ours, binds
     *  to its own (the decoy), not to ours. With -z now a wrong binding fails its System.load. */
    @Test
    void aLibraryNeedingUpstreamGgmlLoadedAfterOursIsNotBoundToOurs() throws Exception {
        Path decoy = decoy();
        Path other = tmp.resolve("libother.so");
        cc(tmp.resolve("other.c"), "int decoy_id(void);\nint other_id(void) { return decoy_id(); }\n",
                "-Wl,-z,now", decoy.toString(), "-Wl,-rpath," + decoy.getParent(), "-o", other.toString());
        String out = TestJvm.run(tmp, "ours-first", Map.of(), TestJvm.withNativePath(), OursFirst.class, other.toString(),
                TINY.toString());
        assertTrue(out.contains("other library loaded"), out);
    }

    /** A library named and SONAMEd libggml-base.so.0, as an upstream ggml build's, defining decoy_id() only. */
    private Path decoy() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("upstream"));
        Path lib = dir.resolve("libggml-base.so.0");
        cc(tmp.resolve("decoy.c"), "int decoy_id(void) { return 42; }\n", "-Wl,-soname,libggml-base.so.0",
                "-o", lib.toString());
        return lib;
    }

    private static void cc(Path source, String code, String... args) throws Exception {
        Path cc = Paths.get("/usr/bin/cc");
        Assumptions.assumeTrue(Files.isExecutable(cc), "SKIPPED LOUDLY: no C compiler at /usr/bin/cc");
        Files.writeString(source, code);
        List<String> cmd = new ArrayList<>(List.of(cc.toString(), "-shared", "-fPIC", source.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "cc failed:\n" + out);
    }

    /** Loads the decoy in args[0], then our natives, and transcribes with the model in args[1]. */
    public static final class DecoyFirst {
        public static void main(String[] args) {
            System.load(args[0]);
            try (Whisper w = Whisper.load(Paths.get(args[1]))) {
                w.transcribe(new float[1600]);
                System.out.println("transcribed");
            }
        }
    }

    /** Loads our natives and a model (args[1]), then the library in args[0], which needs libggml-base.so.0. */
    public static final class OursFirst {
        public static void main(String[] args) {
            try (Whisper w = Whisper.load(Paths.get(args[1]))) {
                System.load(args[0]);
                System.out.println("other library loaded");
                w.transcribe(new float[1600]);
            }
        }
    }
}
