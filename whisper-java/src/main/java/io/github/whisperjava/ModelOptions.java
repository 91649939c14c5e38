package io.github.whisperjava;

import java.time.Duration;

/**
 * How to load a model. Start from {@link #defaults()} and change what you need with the {@code with…}
 * methods: the canonical constructor takes every field in order and gains a parameter when a new
 * option comes.
 *
 * @param useGpu use a GPU backend when one was built in and is present (ignored by CPU-only builds)
 * @param flashAttention whisper.cpp's flash attention (its default: on)
 * @param gpuDevice which GPU, when there are several
 * @param concurrency how many transcriptions may run at once on this model; each holds one
 *     {@code whisper_state} (tens to hundreds of MB, by model size); later callers wait
 * @param idleStateTimeout how long a state no call uses is kept before its memory is freed (the most
 *     recently used one is always kept, so a lone caller never pays for a new state); null: never
 * @param dtwTokenTimestamps give every token a time from dynamic time warping over the model's
 *     alignment heads ({@link Token#dtwMs()}), chosen for the model's size from its file; whisper.cpp
 *     can only do this without flash attention, which this setting therefore turns off
 */
public record ModelOptions(boolean useGpu, boolean flashAttention, int gpuDevice, int concurrency,
        Duration idleStateTimeout, boolean dtwTokenTimestamps) {
    /** States idle this long are freed by default: a burst's extra states do not outlive it by much. */
    public static final Duration DEFAULT_IDLE_STATE_TIMEOUT = Duration.ofSeconds(60);

    public ModelOptions {
        if (gpuDevice < 0) {
            throw new IllegalArgumentException("gpuDevice must be >= 0, got " + gpuDevice);
        }
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("concurrency must be 1..1024, got " + concurrency);
        }
        if (idleStateTimeout != null && (idleStateTimeout.isNegative() || idleStateTimeout.isZero())) {
            throw new IllegalArgumentException("idleStateTimeout must be positive or null, got " + idleStateTimeout);
        }
    }

    /** GPU when available, flash attention, one state per available processor, idle states freed after 60 s. */
    public static ModelOptions defaults() {
        return new ModelOptions(true, true, 0, Runtime.getRuntime().availableProcessors(), DEFAULT_IDLE_STATE_TIMEOUT,
                false);
    }

    public ModelOptions withConcurrency(int n) {
        return new ModelOptions(useGpu, flashAttention, gpuDevice, n, idleStateTimeout, dtwTokenTimestamps);
    }

    public ModelOptions withGpu(boolean use) {
        return new ModelOptions(use, flashAttention, gpuDevice, concurrency, idleStateTimeout, dtwTokenTimestamps);
    }

    /** See {@link #idleStateTimeout()}; null keeps every state until the model is closed. */
    public ModelOptions withIdleStateTimeout(Duration timeout) {
        return new ModelOptions(useGpu, flashAttention, gpuDevice, concurrency, timeout, dtwTokenTimestamps);
    }

    /** See {@link #flashAttention()}. */
    public ModelOptions withFlashAttention(boolean on) {
        return new ModelOptions(useGpu, on, gpuDevice, concurrency, idleStateTimeout, dtwTokenTimestamps);
    }

    /** See {@link #gpuDevice()}. */
    public ModelOptions withGpuDevice(int device) {
        return new ModelOptions(useGpu, flashAttention, device, concurrency, idleStateTimeout, dtwTokenTimestamps);
    }

    /** See {@link #dtwTokenTimestamps()}. */
    public ModelOptions withDtwTokenTimestamps(boolean on) {
        return new ModelOptions(useGpu, flashAttention, gpuDevice, concurrency, idleStateTimeout, on);
    }
}
