package io.github.whisperjava.internal;

import io.github.whisperjava.WhisperException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads whisper.cpp, ggml and the JNI shim from the whisper-jni jar, once per JVM, without
 * {@code LD_LIBRARY_PATH}.
 *
 * <p>The jar's {@code native/<os>-<arch>/libs.txt} names each library with its SHA-256. They are
 * extracted once into {@code <cache>/natives/<digest of libs.txt>/} (written to a private temp folder,
 * verified, then renamed into place, so two JVMs extracting at once both end with a whole folder), and
 * loaded by absolute path in the listed order. ggml is then pointed at that folder to pick the best
 * {@code libggml-cpu-<variant>.so} for this processor. {@link NativeCache} decides which folder is
 * trusted and re-hashes every file before each JVM loads it.
 *
 * <p>{@code -Dwhisper.native.path} or {@code WHISPER_NATIVE_PATH} names a folder of already extracted
 * libraries to use instead (it must hold a libs.txt too).
 */
public final class NativeLoader {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLoader.class);
    private static final String LIBS_FILE = NativeCache.LIBS_FILE;

    private static Path loadedFrom;
    private static int deviceCount;

    private NativeLoader() {}

    /** Loads everything on first call; afterwards returns at once. Throws with a clear reason on failure. */
    public static synchronized Path load() {
        if (loadedFrom != null) {
            return loadedFrom;
        }
        ProcessSettings.nativesLoading();
        Optional<Path> own = Optional.ofNullable(System.getProperty("whisper.native.path"))
                .or(() -> Optional.ofNullable(System.getenv("WHISPER_NATIVE_PATH")))
                .filter(s -> !s.isBlank())
                .map(Paths::get);
        // libraries of one's own (WHISPER_NATIVE_PATH) may be built for a platform the jar does not carry
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            requireGlibc();
        }
        Path dir = own.orElseGet(() -> extract(platform()));
        List<NativeCache.Entry> entries = readLibs(dir.resolve(LIBS_FILE), dir.toString());
        for (NativeCache.Entry e : entries) {
            if (e.load()) {
                Path lib = dir.resolve(e.file()).toAbsolutePath();
                try {
                    System.load(lib.toString());
                } catch (UnsatisfiedLinkError err) {
                    throw new WhisperException("cannot load native library " + lib + ": " + err.getMessage(), err);
                }
            }
        }
        NativeLog.applyThreshold();
        int devices = WhisperJni.loadBackends(WhisperJni.fileSystemBytes(dir.toAbsolutePath()));
        if (devices <= 0) {
            throw new WhisperException("ggml found no usable backend in " + dir
                    + " (no libggml-cpu-*.so this processor can run)");
        }
        String cpuBackend = mappedCpuVariant();
        List<String> deviceNames = devices(devices);
        LOG.info("whisper.cpp {} loaded from {}; CPU backend {}; devices: {}",
                text(WhisperJni.version()), dir, cpuBackend, String.join(", ", deviceNames));
        gpuFallback(entries, mappedLibraries(), deviceNames).ifPresent(LOG::warn);
        deviceCount = devices;
        loadedFrom = dir;
        return dir;
    }

    /**
     * The platforms whisper-jni carries natives for, as its {@code native/<os>-<arch>/} folders are named.
     * Each needs glibc 2.34 or later (Debian 12, Ubuntu 22.04, RHEL 9 and newer).
     */
    static final List<String> SUPPORTED = List.of("linux-x86_64", "linux-aarch64");

    /** {@code <os>-<arch>} of this JVM as the jar names its native folders; see {@link #platform(String, String)}. */
    static String platform() {
        return platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * The native folder for a JVM reporting these {@code os.name} and {@code os.arch}, or an exception
     * naming the supported platforms. Decided here, before any library is opened: on Windows or macOS the
     * alternative is a {@code System.load} of a Linux ELF file, whose link error names neither the
     * platform nor what would work.
     */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String osPart = os.contains("linux") ? "linux" : os.replace(' ', '_');
        String archPart = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        String platform = osPart + "-" + archPart;
        if (!SUPPORTED.contains(platform)) {
            throw new WhisperException("whisper-java has no native libraries for " + osName + " on " + osArch
                    + " (" + platform + "); supported: " + supportedText());
        }
        return platform;
    }

    static String supportedText() {
        return String.join(", ", SUPPORTED) + ", each with glibc 2.34 or later (Debian 12, Ubuntu 22.04, RHEL 9 "
                + "and newer)";
    }

    /**
     * GPU backends of ggml, each in a natives jar of its own (whisper-jni-vulkan, whisper-jni-cuda) so the
     * CPU jar keeps its size: {@code native/<platform>-<backend>/libs.txt} lists {@code backend} files only,
     * extracted into the same folder as the CPU jar's, where ggml's loader looks for them.
     */
    static final List<String> GPU_BACKENDS = List.of("vulkan", "cuda");

    private static Path extract(String platform) {
        String base = "/native/" + platform + "/";
        byte[] manifest = resource(base + LIBS_FILE);
        if (manifest == null) {
            // a supported platform, but this whisper-jni jar lacks its folder (not on the class path, or a
            // jar built without that platform's natives)
            throw new WhisperException("no native libraries for " + platform + " in the whisper-jni jar on the "
                    + "class path (is it there? was it built with " + platform + "?); supported: " + supportedText());
        }
        List<NativeCache.Entry> entries = new ArrayList<>(readLibs(manifest, base + LIBS_FILE));
        Map<String, String> resourceOf = new HashMap<>();
        entries.forEach(e -> resourceOf.put(e.file(), base + e.file()));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(manifest);
        for (String backend : GPU_BACKENDS) {
            String gpuBase = "/native/" + platform + "-" + backend + "/";
            byte[] gpu = resource(gpuBase + LIBS_FILE);
            if (gpu == null) {
                continue;
            }
            for (NativeCache.Entry e : readLibs(gpu, gpuBase + LIBS_FILE)) {
                if (e.load() || resourceOf.containsKey(e.file())) {
                    throw new WhisperException(gpuBase + LIBS_FILE + " may only add backends of its own: " + e.file());
                }
                entries.add(e);
                resourceOf.put(e.file(), gpuBase + e.file());
            }
            // the folder's name is a digest of this: with and without a GPU jar are two folders
            all.writeBytes(("# " + gpuBase + "\n").getBytes(StandardCharsets.UTF_8));
            all.writeBytes(gpu);
        }
        return NativeCache.folder(e -> resourceOf.get(e.file()), all.toByteArray(), entries);
    }

    /**
     * Our libraries need glibc (2.34 or later); on musl (Alpine) dlopen fails with a list of missing
     * symbols that names neither. The process's own mappings say which C library this JVM runs on.
     */
    static void requireGlibc() {
        try (var lines = Files.lines(Paths.get("/proc/self/maps"))) {
            if (isMusl(lines)) {
                throw new WhisperException(muslMessage());
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof WhisperException w) {
                throw w;
            }
            // no /proc: not Linux, and platform() has already said what is supported
        }
    }

    /** Whether these lines of {@code /proc/self/maps} show musl's dynamic linker or libc mapped. */
    static boolean isMusl(Stream<String> mapsLines) {
        return mapsLines.anyMatch(l -> l.contains("ld-musl-") || l.contains("libc.musl-"));
    }

    static String muslMessage() {
        return "whisper-java's native libraries are built for glibc Linux; this JVM runs on musl libc (Alpine?). "
                + "Supported: " + supportedText() + ". Use a glibc-based image, e.g. eclipse-temurin:17-jre-jammy";
    }

    private static List<NativeCache.Entry> readLibs(Path file, String where) {
        try {
            return readLibs(Files.readAllBytes(file), where);
        } catch (IOException e) {
            throw new WhisperException("no readable " + LIBS_FILE + " in native folder: " + file, e);
        }
    }

    private static List<NativeCache.Entry> readLibs(byte[] manifest, String where) {
        List<NativeCache.Entry> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new ByteArrayInputStream(manifest), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\s+");
                if (f.length != 3 || !(f[0].equals("load") || f[0].equals("backend"))
                        || f[1].contains("/") || f[1].startsWith(".")) {
                    throw new WhisperException("malformed line in " + where + ": " + line);
                }
                out.add(new NativeCache.Entry(f[0].equals("load"), f[1], f[2]));
            }
        } catch (IOException e) {
            throw new WhisperException("cannot read " + where, e);
        }
        return out;
    }

    private static byte[] resource(String name) {
        try (InputStream in = resourceStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new WhisperException("cannot read resource " + name, e);
        }
    }

    // ggml does not say which variant it picked; the process's own mappings do.
    private static String mappedCpuVariant() {
        try (var lines = Files.lines(Paths.get("/proc/self/maps"))) {
            return lines.map(l -> l.substring(l.lastIndexOf('/') + 1))
                    .filter(n -> n.startsWith("libggml-cpu-") && n.endsWith(".so"))
                    .map(n -> n.substring("libggml-cpu-".length(), n.length() - ".so".length()))
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static List<String> devices(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(text(WhisperJni.backendDeviceDescription(i)));
        }
        return names;
    }

    /**
     * The one line that says a GPU backend was shipped but will not be used, and why, or empty. ggml's
     * loader skips a module that dlopen() refuses (no libvulkan.so.1, no libcudart.so.12) at debug level
     * only, and one that finds no device registers none: without this line both look like success.
     *
     * @param mapped file names of the libraries mapped into this process
     * @param devices ggml's devices, as {@code <name> (<description>)}; Vulkan's are Vulkan0..., CUDA's CUDA0...
     */
    static Optional<String> gpuFallback(List<NativeCache.Entry> entries, List<String> mapped, List<String> devices) {
        List<String> why = new ArrayList<>();
        for (NativeCache.Entry e : entries) {
            String f = e.file();
            String backend = GPU_BACKENDS.stream().filter(b -> f.equals("libggml-" + b + ".so")).findFirst().orElse(null);
            if (backend == null) {
                continue;
            }
            String prefix = backend.equals("cuda") ? "CUDA" : "Vulkan";
            if (!mapped.contains(f)) {
                why.add(f + " could not be loaded (" + (backend.equals("cuda")
                        ? "it needs the NVIDIA driver, libcuda.so.1, and the CUDA 11 runtime, libcudart.so.11.0 and libcublas.so.11"
                        : "is a Vulkan loader, libvulkan.so.1 (Debian: libvulkan1), installed?") + ")");
            } else if (devices.stream().noneMatch(d -> d.startsWith(prefix))) {
                why.add(f + " found no " + prefix + " device" + (backend.equals("vulkan")
                        ? " (a GPU with its Vulkan driver; a CPU driver such as lavapipe only with GGML_VK_VISIBLE_DEVICES)"
                        : ""));
            }
        }
        return why.isEmpty() ? Optional.empty()
                : Optional.of(String.join("; ", why) + ": transcribing on the CPU");
    }

    private static List<String> mappedLibraries() {
        try (var lines = Files.lines(Paths.get("/proc/self/maps"))) {
            return lines.map(l -> l.substring(l.lastIndexOf('/') + 1)).distinct().toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * A resource of the natives jar, by absolute name. Through the class loader, not
     * {@code Class.getResourceAsStream}: on the module path that looks only inside this module, and the
     * natives are in another one (whisper-jni, module {@code io.github.whisperjava.jni}).
     */
    static InputStream resourceStream(String absoluteName) {
        ClassLoader cl = NativeLoader.class.getClassLoader();
        String name = absoluteName.startsWith("/") ? absoluteName.substring(1) : absoluteName;
        return cl == null ? ClassLoader.getSystemResourceAsStream(name) : cl.getResourceAsStream(name);
    }

    /** whisper.cpp's build and CPU feature summary; loads the natives first. */
    public static String systemInfo() {
        load();
        synchronized (NativeLoader.class) {
            String info = text(WhisperJni.systemInfo()); // whisper_print_system_info writes a static buffer
            // whisper.cpp's summary names CPU features only; a GPU is named here, and only then, so the CPU
            // path's text stays whisper-cli's
            List<String> gpus = devices(deviceCount).stream().filter(d -> !d.startsWith("CPU")).toList();
            return gpus.isEmpty() ? info : info + "GPU devices: " + String.join(", ", gpus) + " | ";
        }
    }

    /** The whisper.cpp version the natives were built from; loads them first. */
    public static String version() {
        load();
        return text(WhisperJni.version());
    }

    static String text(byte[] utf8) {
        return utf8 == null ? "" : new String(utf8, StandardCharsets.UTF_8);
    }

}
