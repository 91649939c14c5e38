package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one line that says a shipped GPU backend is not used (VulkanTest checks it in a real JVM on lavapipe). */
class GpuFallbackTest {
    static final NativeCache.Entry CPU = new NativeCache.Entry(false, "libggml-cpu-haswell.so", "00");
    static final NativeCache.Entry VULKAN = new NativeCache.Entry(false, "libggml-vulkan.so", "00");
    static final NativeCache.Entry CUDA = new NativeCache.Entry(false, "libggml-cuda.so", "00");

    @Test
    void nothingToSayWithoutAGpuJarOrWithItsDevice() {
        assertEquals(Optional.empty(), NativeLoader.gpuFallback(List.of(CPU), List.of("libggml-cpu-haswell.so"),
                List.of("CPU (Intel)")));
        assertEquals(Optional.empty(), NativeLoader.gpuFallback(List.of(CPU, VULKAN),
                List.of("libggml-cpu-haswell.so", "libggml-vulkan.so"), List.of("CPU (Intel)", "Vulkan0 (AMD Radeon)")));
    }

    @Test
    void aModuleThatDidNotLoadIsNamedWithWhatItNeeds() {
        String s = NativeLoader.gpuFallback(List.of(CPU, VULKAN, CUDA), List.of("libggml-cpu-haswell.so"),
                List.of("CPU (Intel)")).orElseThrow();
        assertTrue(s.contains("libggml-vulkan.so could not be loaded (is a Vulkan loader, libvulkan.so.1"), s);
        assertTrue(s.contains("libggml-cuda.so could not be loaded (it needs the NVIDIA driver, libcuda.so.1"), s);
        assertTrue(s.endsWith("transcribing on the CPU"), s);
    }

    @Test
    void aModuleWithoutDevicesIsNamed() {
        String s = NativeLoader.gpuFallback(List.of(VULKAN, CUDA), List.of("libggml-vulkan.so", "libggml-cuda.so"),
                List.of("CPU (Intel)")).orElseThrow();
        assertTrue(s.contains("libggml-vulkan.so found no Vulkan device"), s);
        assertTrue(s.contains("libggml-cuda.so found no CUDA device"), s);
    }
}
