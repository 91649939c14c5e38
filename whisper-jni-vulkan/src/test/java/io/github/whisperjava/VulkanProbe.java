package io.github.whisperjava;

import io.github.whisperjava.audio.WavReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * What VulkanTest runs in a fresh JVM, so that each case chooses the process's Vulkan environment
 * (GGML_VK_VISIBLE_DEVICES, VK_ICD_FILENAMES, no libvulkan.so.1 at all) before ggml reads it, once.
 * Prints lines the test parses: {@code TOKENS}, {@code TEXT}, {@code MS}, {@code RSS}, {@code SYSINFO}.
 */
public final class VulkanProbe {
    /** The fixture's comparison: greedy, no fallback, bounded decoding (as ConcurrencyTest's). */
    static final TranscribeParams DETERMINISTIC = TranscribeParams.builder().threads(2).temperatureIncrement(0)
            .maxTokensPerSegment(16).build();

    private VulkanProbe() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path model = Paths.get(args[1]);
        boolean gpu = Boolean.parseBoolean(args[2]);
        ModelOptions options = ModelOptions.defaults().withGpu(gpu).withConcurrency(1);
        float[] jfk = WavReader.read16kMono(GpuTestSupport.JFK_WAV);
        System.out.println("SYSINFO " + Whisper.systemInfo());
        switch (mode) {
            case "transcribe" -> {
                try (Whisper w = Whisper.load(model, options)) {
                    Transcript t = null;
                    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 1;
                    for (int i = 0; i < runs; i++) {
                        long t0 = System.nanoTime();
                        t = w.transcribe(jfk, DETERMINISTIC);
                        System.out.println("MS " + (System.nanoTime() - t0) / 1_000_000 + " encode "
                                + Math.round(t.timings().encodeMs()));
                    }
                    print(t);
                }
            }
            case "vad" -> {
                Path silero = Paths.get(args[3]);
                // jfk.wav with 3 s of silence before and after: VAD must cut both
                float[] padded = new float[jfk.length + 6 * 16_000];
                System.arraycopy(jfk, 0, padded, 3 * 16_000, jfk.length);
                try (Whisper w = Whisper.load(model, options)) {
                    System.out.println("SPANS " + w.detectSpeech(padded, VadOptions.DEFAULTS.withModel(silero)));
                    print(w.transcribe(padded, TranscribeParams.builder().threads(2).temperatureIncrement(0)
                            .vad(VadOptions.DEFAULTS.withModel(silero)).build()));
                }
            }
            case "cycles" -> {
                int n = Integer.parseInt(args[3]);
                try (Whisper w = Whisper.load(model, options)) {
                    // once first: the device's compute buffers and kernels are set up, as a real run would have them
                    w.transcribe(Arrays.copyOf(jfk, 16_000), TranscribeParams.builder().threads(2).maxTokensPerSegment(2).build());
                }
                long t0 = System.nanoTime();
                for (int i = 1; i <= n; i++) {
                    try (Whisper w = Whisper.load(model, options)) {
                        w.info();
                    }
                    if (i % (n / 10) == 0) {
                        System.out.println("RSS " + i + " " + rssKb() + " ms/cycle " + (System.nanoTime() - t0) / 1_000_000 / i);
                    }
                }
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }

    private static void print(Transcript t) {
        StringBuilder ids = new StringBuilder();
        for (Segment s : t.segments()) {
            s.tokens().forEach(tok -> ids.append(tok.id()).append(','));
            ids.append('|');
        }
        System.out.println("TOKENS " + ids);
        System.out.println("TEXT " + t.text().strip());
    }

    static long rssKb() throws Exception {
        for (String l : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
