package io.github.whisperjava;

/**
 * How to load a model.
 *
 * @param useGpu use a GPU backend when one was built in and is present (ignored by CPU-only builds)
 * @param flashAttention whisper.cpp's flash attention (its default: on)
 * @param gpuDevice which GPU, when there are several
 * @param concurrency how many transcriptions may run at once on this model; each holds one
 *     {@code whisper_state} (tens to hundreds of MB, by model size); later callers wait
 */
public record ModelOptions(boolean useGpu, boolean flashAttention, int gpuDevice, int concurrency) {
    public ModelOptions {
        if (gpuDevice < 0) {
            throw new IllegalArgumentException("gpuDevice must be >= 0, got " + gpuDevice);
        }
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("concurrency must be 1..1024, got " + concurrency);
        }
    }

    /** GPU when available, flash attention, one state per available processor. */
    public static ModelOptions defaults() {
        return new ModelOptions(true, true, 0, Runtime.getRuntime().availableProcessors());
    }

    public ModelOptions withConcurrency(int n) {
        return new ModelOptions(useGpu, flashAttention, gpuDevice, n);
    }

    public ModelOptions withGpu(boolean use) {
        return new ModelOptions(use, flashAttention, gpuDevice, concurrency);
    }
}
