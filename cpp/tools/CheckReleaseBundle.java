import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Checks what {@code mvn -P release verify} would upload, before anyone uploads it: every published jar
 * with its -sources and -javadoc jars (and no shared library in those), the POM metadata Maven Central requires, the natives jar with both
 * platforms whose libs.txt sums match the files beside them, and the licence notices MIT requires to
 * travel with the binaries. Run by the release profile of whisper-spring-ai, the last published module the
 * reactor builds (a single-file program: no module of its own to publish by mistake): {@code java CheckReleaseBundle.java VERSION PROJECT_ROOT}.
 */
public final class CheckReleaseBundle {
    static final List<String> PLATFORMS = List.of("linux-x86_64", "linux-aarch64");
    static final List<String> PUBLISHED = List.of("whisper-jni", "whisper-java", "whisper-spring-ai");

    private final List<String> problems = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String version = args[0];
        Path root = Path.of(args[1]).toAbsolutePath().normalize();
        CheckReleaseBundle c = new CheckReleaseBundle();
        c.poms(root);
        for (String module : PUBLISHED) {
            c.jars(root.resolve(module).resolve("target"), module + "-" + version);
        }
        Path natives = root.resolve("whisper-jni/target/whisper-jni-" + version + ".jar");
        if (Files.isRegularFile(natives)) {
            c.natives(natives);
        }
        Path api = root.resolve("whisper-java/target/whisper-java-" + version + ".jar");
        if (Files.isRegularFile(api)) {
            try (JarFile jar = new JarFile(api.toFile())) {
                c.require(jar.getEntry("META-INF/LICENSE") != null, api + ": no META-INF/LICENSE");
                c.require(jar.getEntry("module-info.class") != null, api + ": no module-info.class");
            }
        }
        Path spring = root.resolve("whisper-spring-ai/target/whisper-spring-ai-" + version + ".jar");
        if (Files.isRegularFile(spring)) {
            try (JarFile jar = new JarFile(spring.toFile())) {
                c.require(jar.getEntry("META-INF/LICENSE") != null, spring + ": no META-INF/LICENSE");
                // without it Spring Boot never finds the auto-configuration: the jar would do nothing
                c.require(jar.getEntry("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")
                        != null, spring + ": no AutoConfiguration.imports");
            }
        }
        if (!c.problems.isEmpty()) {
            System.err.println("release bundle: " + c.problems.size() + " problem(s)");
            c.problems.forEach(p -> System.err.println("  - " + p));
            System.exit(1);
        }
        System.out.println("release bundle OK: " + PUBLISHED + " with sources and javadoc jars (no binaries in them), natives for "
                + PLATFORMS + " matching libs.txt, notices present");
    }

    private void require(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    /** The modules inherit name-independent metadata from the parent; each names and describes itself. */
    private void poms(Path root) throws IOException {
        String parent = Files.readString(root.resolve("pom.xml"));
        for (String tag : List.of("<url>", "<licenses>", "<developers>", "<scm>", "<description>", "<name>")) {
            require(parent.contains(tag), "pom.xml: no " + tag);
        }
        for (String module : PUBLISHED) {
            String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
            require(pom.contains("<name>") && pom.contains("<description>"), module + "/pom.xml: no name or description");
        }
    }

    private void jars(Path target, String base) throws IOException {
        for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar")) {
            Path jar = target.resolve(base + suffix);
            require(Files.isRegularFile(jar), "missing " + jar);
            if (!suffix.equals(".jar") && Files.isRegularFile(jar)) {
                noBinaries(jar);
            }
        }
    }

    /**
     * A -sources or -javadoc jar holds text: a shared library in one (maven-source-plugin packs resource
     * folders, the aarch64 natives' among them) doubles the upload and ships binaries as "sources".
     */
    private void noBinaries(Path jarPath) throws IOException {
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            List<String> libs = jar.stream().map(ZipEntry::getName).filter(CheckReleaseBundle::isSharedLibrary).toList();
            require(libs.isEmpty(), jarPath + ": " + libs.size() + " shared librar" + (libs.size() == 1 ? "y" : "ies")
                    + " in a sources/javadoc jar: " + libs);
        }
    }

    /** libx.so, libx.so.0, libx.so.0.15.1 (and the other platforms' kinds, should they ever come). */
    static boolean isSharedLibrary(String entry) {
        String name = entry.substring(entry.lastIndexOf('/') + 1);
        return name.matches(".+\\.so(\\.[0-9]+)*") || name.endsWith(".dylib") || name.endsWith(".dll");
    }

    private void natives(Path jarPath) throws IOException, NoSuchAlgorithmException {
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            require(jar.getEntry("module-info.class") != null, jarPath + ": no module-info.class");
            require(jar.getEntry("META-INF/LICENSE") != null, jarPath + ": no META-INF/LICENSE");
            ZipEntry notices = jar.getEntry("META-INF/THIRD-PARTY-NOTICES.txt");
            require(notices != null, jarPath + ": no META-INF/THIRD-PARTY-NOTICES.txt");
            if (notices != null) {
                String text = read(jar, notices);
                for (String must : List.of("The ggml authors", "whisper.cpp", "miniaudio", "David Reid",
                        "stb_vorbis", "Sean Barrett", "Permission is hereby granted")) {
                    require(text.contains(must), "THIRD-PARTY-NOTICES.txt does not mention " + must);
                }
            }
            for (String platform : PLATFORMS) {
                String dir = "native/" + platform + "/";
                ZipEntry libs = jar.getEntry(dir + "libs.txt");
                require(libs != null, jarPath + ": no " + dir + "libs.txt");
                if (libs == null) {
                    continue;
                }
                int files = 0;
                for (String line : read(jar, libs).split("\n")) {
                    line = line.strip();
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    String[] f = line.split("\\s+");
                    ZipEntry lib = f.length == 3 ? jar.getEntry(dir + f[1]) : null;
                    require(lib != null, dir + "libs.txt names a missing file: " + line);
                    if (lib != null) {
                        files++;
                        require(sha256(jar, lib).equals(f[2]), dir + f[1] + ": SHA-256 differs from libs.txt");
                    }
                }
                require(files >= 5, dir + ": only " + files + " libraries (whisper, ggml, ggml-base, shim, a CPU backend)");
            }
        }
    }

    private static String read(JarFile jar, ZipEntry e) throws IOException {
        try (InputStream in = jar.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sha256(JarFile jar, ZipEntry e) throws IOException, NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = jar.getInputStream(e)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
