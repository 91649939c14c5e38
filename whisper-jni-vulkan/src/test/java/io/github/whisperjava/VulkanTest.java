package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * whisper-jni-vulkan on the class path, run on Mesa's lavapipe (llvmpipe: a Vulkan device on the CPU),
 * the only Vulkan device this project's machines have. ggml skips CPU-type Vulkan devices unless
 * GGML_VK_VISIBLE_DEVICES names them, so the GPU cases set it; a real GPU needs nothing. Every case is a
 * fresh JVM (VulkanProbe): ggml reads its Vulkan environment once per process.
 */
class VulkanTest {
    static final Map<String, String> LAVAPIPE = Map.of("GGML_VK_VISIBLE_DEVICES", "0");
    static final List<String> NATIVE_INFO = List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
            "-Dorg.slf4j.simpleLogger.log.io.github.whisperjava.native=debug");
    /** -Dwhisper.gpu.cycles: the issue's 1,000 by default */
    static final int CYCLES = Integer.getInteger("whisper.gpu.cycles", 1000);
    static Path fixture;

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireLavapipe() {
        // the tests need a Vulkan loader and lavapipe's ICD (Debian: libvulkan1, mesa-vulkan-drivers)
        boolean loader = Files.exists(Paths.get("/usr/lib/x86_64-linux-gnu/libvulkan.so.1"));
        boolean lvp = Files.exists(Paths.get("/usr/share/vulkan/icd.d/lvp_icd.x86_64.json"));
        if (!loader || !lvp) {
            String why = "SKIPPED LOUDLY: no Vulkan loader or no lavapipe (apt-get install libvulkan1 mesa-vulkan-drivers)";
            System.err.println(why);
            Assumptions.abort(why);
        }
        fixture = GpuTestSupport.fixture("tiny", "q5_1");
    }

    @Test
    void forTestsTinyLoadsAndTranscribesOnTheVulkanDevice() throws Exception {
        String out = run("tiny-vk", LAVAPIPE, NATIVE_INFO, "transcribe", GpuTestSupport.forTestsModel("tiny").toString(), "true");
        assertTrue(out.contains("whisper_backend_init_gpu: using Vulkan0 backend"), out);
        assertTrue(line(out, "SYSINFO").contains("GPU devices: Vulkan0 (llvmpipe"), out);
        // the load log names the device among ggml's
        assertTrue(out.matches("(?s).*devices: [^\n]*Vulkan0 \\(llvmpipe.*"), out);
        assertFalse(out.contains("transcribing on the CPU"), out);
    }

    @Test
    void theFixtureDecodesTheSameTokensOnVulkanAsOnTheCpu() throws Exception {
        // GGML_VK_PERF_LOGGER: ggml-vulkan prints the operations it ran, so the encoder's matrix products
        // are seen running on the device, not only a device chosen
        String vk = run("fixture-vk", Map.of("GGML_VK_VISIBLE_DEVICES", "0", "GGML_VK_PERF_LOGGER", "1"), NATIVE_INFO,
                "transcribe", fixture.toString(), "true", "3");
        String cpu = run("fixture-cpu", LAVAPIPE, NATIVE_INFO, "transcribe", fixture.toString(), "false", "3");
        // docs/gpu.md's figures: jfk.wav, three runs on one loaded model, the first with the device's warm-up
        System.out.println("fixture tiny q5_1, jfk.wav, ms (total, encoder) on lavapipe: " + times(vk) + "; on the CPU: " + times(cpu));
        assertTrue(vk.contains("using Vulkan0 backend"), vk);
        assertTrue(vk.contains("MUL_MAT") && vk.contains("Vulkan0"), "no Vulkan operations logged:\n" + vk);
        assertFalse(cpu.contains("using Vulkan0 backend"), cpu);
        System.out.println("fixture on Vulkan: " + line(vk, "TOKENS") + "\nfixture on CPU:    " + line(cpu, "TOKENS"));
        assertEquals(line(cpu, "TOKENS"), line(vk, "TOKENS"), "tokens differ\nVulkan:\n" + vk + "\nCPU:\n" + cpu);
    }

    @Test
    void vadWithTheSileroModelBesideAVulkanModel() throws Exception {
        Path silero = GpuTestSupport.SHARED.resolve("models/for-tests-silero-v6.2.0-ggml.bin");
        String vk = run("vad-vk", LAVAPIPE, NATIVE_INFO, "vad", fixture.toString(), "true", silero.toString());
        String cpu = run("vad-cpu", LAVAPIPE, NATIVE_INFO, "vad", fixture.toString(), "false", silero.toString());
        assertTrue(vk.contains("using Vulkan0 backend"), vk);
        String spans = line(vk, "SPANS");
        assertFalse(spans.equals("[]"), vk);
        assertEquals(line(cpu, "SPANS"), spans);
        assertEquals(line(cpu, "TOKENS"), line(vk, "TOKENS"));
    }

    @Test
    void aThousandLoadsAndClosesOnTheDeviceDoNotGrow() throws Exception {
        String out = run("cycles", LAVAPIPE, List.of(), "cycles", GpuTestSupport.forTestsModel("tiny").toString(), "true",
                Integer.toString(CYCLES));
        List<long[]> rss = new ArrayList<>();
        Matcher m = Pattern.compile("RSS (\\d+) (\\d+)").matcher(out);
        while (m.find()) {
            rss.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        assertEquals(10, rss.size(), out);
        System.out.println("RSS (KiB) every " + CYCLES / 10 + " cycles: "
                + rss.stream().map(r -> Long.toString(r[1])).collect(Collectors.joining(" ")) + "; " + line(out, "RSS " + CYCLES));
        // from the second tenth on (allocators warmed up) to the end: lavapipe's device memory is this process's
        // memory, so a model's device buffers not freed at close (tiny's are 80 MB) would show at once
        long growth = rss.get(9)[1] - rss.get(1)[1];
        assertTrue(growth < 32 * 1024, "RSS grew by " + growth + " KiB over " + CYCLES * 8 / 10 + " load/close cycles: " + out);
    }

    @Test
    void withoutAVulkanDeviceItRunsOnTheCpuAndSaysSoOnce() throws Exception {
        // a Vulkan loader but no driver: the ICD list points nowhere
        String out = run("no-icd", Map.of("VK_ICD_FILENAMES", tmp.resolve("none.json").toString()), List.of(),
                "transcribe", GpuTestSupport.forTestsModel("tiny").toString(), "true");
        assertEquals(1, count(out, "transcribing on the CPU"), out);
        assertTrue(out.contains("libggml-vulkan.so found no Vulkan device"), out);
        assertTrue(out.contains("TOKENS"), out);
        assertFalse(line(out, "SYSINFO").contains("GPU devices"), out);
    }

    @Test
    void withoutAVulkanLoaderItRunsOnTheCpuAndSaysSoOnce() throws Exception {
        // libvulkan.so.1 hidden in a mount namespace of the child alone (root and unshare needed)
        Path loader = Paths.get("/usr/lib/x86_64-linux-gnu/libvulkan.so.1");
        boolean canHide = "root".equals(System.getProperty("user.name"))
                && new ProcessBuilder("unshare", "-m", "true").start().waitFor() == 0;
        if (!canHide) {
            String why = "SKIPPED LOUDLY: hiding libvulkan.so.1 needs root and unshare -m";
            System.err.println(why);
            Assumptions.abort(why);
        }
        ProcessBuilder pb = GpuTestSupport.jvm(tmp, LAVAPIPE, List.of(), VulkanProbe.class, "transcribe",
                GpuTestSupport.forTestsModel("tiny").toString(), "true");
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "mount --bind /dev/null " + loader + " && exec \"$@\"", "sh"));
        cmd.addAll(pb.command());
        pb.command(cmd);
        String out = finish("no-loader", pb);
        assertEquals(1, count(out, "transcribing on the CPU"), out);
        assertTrue(out.contains("libggml-vulkan.so could not be loaded (is a Vulkan loader, libvulkan.so.1"), out);
        assertTrue(out.contains("TOKENS"), out);
    }

    private String run(String name, Map<String, String> env, List<String> jvmArgs, String... args)
            throws IOException, InterruptedException {
        return finish(name, GpuTestSupport.jvm(tmp, env, jvmArgs, VulkanProbe.class, args));
    }

    private String finish(String name, ProcessBuilder pb) throws IOException, InterruptedException {
        Path log = tmp.resolve(name + ".log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(900, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish within 900 s:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), name + " failed:\n" + out);
        try (var files = Files.list(tmp)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("hs_err")), "JVM crash:\n" + out);
        }
        return out;
    }

    static String line(String out, String key) {
        return out.lines().filter(l -> l.startsWith(key + " ")).findFirst()
                .map(l -> l.substring(key.length() + 1)).orElseThrow(() -> new AssertionError("no " + key + " in:\n" + out));
    }

    static String times(String out) {
        return out.lines().filter(l -> l.startsWith("MS ")).map(l -> l.substring(3)).collect(Collectors.joining(" / "));
    }

    static int count(String out, String s) {
        return (int) out.lines().filter(l -> l.contains(s)).count();
    }
}
