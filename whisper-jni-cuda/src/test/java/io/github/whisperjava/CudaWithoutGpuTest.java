package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * whisper-jni-cuda on the class path of a machine without an NVIDIA GPU (this project's): the natives load,
 * one line says the CUDA backend gives no device and why, and a model loaded with use_gpu transcribes on
 * the CPU. What a GPU would do is not tested here (docs/gpu.md).
 */
class CudaWithoutGpuTest {
    @TempDir
    Path tmp;

    @Test
    void loadsSaysWhyNotCudaOnceAndTranscribesOnTheCpu() throws Exception {
        ProcessBuilder pb = GpuTestSupport.jvm(tmp, Map.of(), List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.log.io.github.whisperjava.native=debug"), Probe.class,
                GpuTestSupport.forTestsModel("tiny").toString());
        Path log = tmp.resolve("probe.log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "probe did not finish");
        String out = Files.readString(log);
        System.out.println(out.lines().filter(l -> l.contains("libggml-cuda") || l.contains("devices:"))
                .reduce("", (a, b) -> a + b + "\n"));
        assertEquals(0, p.exitValue(), out);
        assertEquals(1, out.lines().filter(l -> l.contains("transcribing on the CPU")).count(), out);
        assertTrue(out.contains("libggml-cuda.so could not be loaded") || out.contains("libggml-cuda.so found no CUDA device"),
                out);
        assertTrue(out.contains("whisper_backend_init_gpu: no GPU found"), out);
        assertTrue(out.contains("DONE "), out);
        assertFalse(out.contains("CUDA0"), out);
    }

    /** Loads with use_gpu (the default) and transcribes a second of jfk.wav. */
    public static final class Probe {
        public static void main(String[] args) {
            float[] jfk = WavReader.read16kMono(GpuTestSupport.JFK_WAV);
            try (Whisper w = Whisper.load(Path.of(args[0]), ModelOptions.defaults().withConcurrency(1))) {
                Transcript t = w.transcribe(java.util.Arrays.copyOf(jfk, 16_000),
                        TranscribeParams.builder().threads(2).maxTokensPerSegment(4).build());
                System.out.println("DONE " + t.segments().size() + " segments; " + Whisper.systemInfo());
            }
        }
    }
}
