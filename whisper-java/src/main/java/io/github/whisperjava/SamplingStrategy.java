package io.github.whisperjava;

/** whisper.cpp's decoding strategies ({@code enum whisper_sampling_strategy}). */
public enum SamplingStrategy {
    /** Pick the most likely token at each step (with best-of sampling on temperature fallback). */
    GREEDY,
    /** Keep {@code beamSize} hypotheses; slower, sometimes more accurate. */
    BEAM_SEARCH
}
