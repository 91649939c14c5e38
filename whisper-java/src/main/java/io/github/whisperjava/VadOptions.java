package io.github.whisperjava;

import java.nio.file.Path;

/**
 * Voice activity detection: transcribe only the speech in the audio (whisper-cli's {@code --vad}).
 * The Silero model finds speech spans; the rest is cut out before the encoder runs, and every segment
 * and token time is mapped back to the time of the audio you passed in. Audio with no speech returns an
 * empty {@link Transcript} without running whisper at all.
 *
 * <p>The parameters are whisper.cpp's {@code whisper_vad_params}, with its defaults in {@link #DEFAULTS}.
 * Start from {@link #DEFAULTS} and change what you need with the {@code with…} methods: the canonical
 * constructor takes every field in order and gains a parameter when whisper.cpp gains one.
 *
 * @param model a Silero VAD model in whisper.cpp's ggml format; null: the catalogue's
 *     {@code silero-v6.2.0}, downloaded and verified on first use like whisper models
 *     ({@code WHISPER_VAD_MODEL} names a file instead)
 * @param threshold speech probability at or above which a 32 ms window counts as speech (0..1)
 * @param minSpeechMs speech shorter than this is dropped (at most {@link #MAX_DURATION_MS})
 * @param minSilenceMs silence shorter than this does not end a speech span (at most {@link #MAX_DURATION_MS})
 * @param maxSpeechSeconds a span longer than this is split (at a silence where one exists); 0: no limit.
 *     whisper.cpp counts whole seconds (2.9 acts as 2), so values between 0 and 1 are refused
 * @param speechPadMs audio kept before and after each span
 * @param samplesOverlapSeconds audio of the following gap kept after each span but the last
 */
public record VadOptions(Path model, float threshold, int minSpeechMs, int minSilenceMs, float maxSpeechSeconds,
        int speechPadMs, float samplesOverlapSeconds) {
    /** whisper.cpp's {@code whisper_vad_default_params()}, and the catalogue's Silero v6.2.0. */
    public static final VadOptions DEFAULTS = new VadOptions(null, 0.5f, 250, 100, 0f, 30, 0.1f);

    /**
     * The longest minimum speech or silence: whisper.cpp turns them into samples as {@code 16000 * ms / 1000}
     * in a 32-bit int, which overflows above this (and the spans found then swing at random).
     */
    public static final int MAX_DURATION_MS = Integer.MAX_VALUE / 16_000;

    public VadOptions {
        check(Float.isFinite(threshold) && threshold >= 0 && threshold <= 1, "threshold must be 0..1, got " + threshold);
        check(minSpeechMs >= 0 && minSpeechMs <= MAX_DURATION_MS,
                "minSpeechMs must be 0.." + MAX_DURATION_MS + ", got " + minSpeechMs);
        check(minSilenceMs >= 0 && minSilenceMs <= MAX_DURATION_MS,
                "minSilenceMs must be 0.." + MAX_DURATION_MS + ", got " + minSilenceMs);
        check(Float.isFinite(maxSpeechSeconds) && (maxSpeechSeconds == 0 || maxSpeechSeconds >= 1)
                        && maxSpeechSeconds <= 86_400,
                "maxSpeechSeconds must be 0 (no limit) or 1 .. 86400, got " + maxSpeechSeconds);
        check(speechPadMs >= 0 && speechPadMs <= 60_000, "speechPadMs must be 0..60000, got " + speechPadMs);
        check(Float.isFinite(samplesOverlapSeconds) && samplesOverlapSeconds >= 0 && samplesOverlapSeconds <= 10,
                "samplesOverlapSeconds must be 0..10, got " + samplesOverlapSeconds);
    }

    /** These options with another VAD model file. */
    public VadOptions withModel(Path file) {
        return new VadOptions(file, threshold, minSpeechMs, minSilenceMs, maxSpeechSeconds, speechPadMs,
                samplesOverlapSeconds);
    }

    public VadOptions withThreshold(float t) {
        return new VadOptions(model, t, minSpeechMs, minSilenceMs, maxSpeechSeconds, speechPadMs, samplesOverlapSeconds);
    }

    public VadOptions withMinSpeechMs(int ms) {
        return new VadOptions(model, threshold, ms, minSilenceMs, maxSpeechSeconds, speechPadMs, samplesOverlapSeconds);
    }

    public VadOptions withMinSilenceMs(int ms) {
        return new VadOptions(model, threshold, minSpeechMs, ms, maxSpeechSeconds, speechPadMs, samplesOverlapSeconds);
    }

    public VadOptions withMaxSpeechSeconds(float seconds) {
        return new VadOptions(model, threshold, minSpeechMs, minSilenceMs, seconds, speechPadMs, samplesOverlapSeconds);
    }

    public VadOptions withSpeechPadMs(int ms) {
        return new VadOptions(model, threshold, minSpeechMs, minSilenceMs, maxSpeechSeconds, ms, samplesOverlapSeconds);
    }

    public VadOptions withSamplesOverlapSeconds(float seconds) {
        return new VadOptions(model, threshold, minSpeechMs, minSilenceMs, maxSpeechSeconds, speechPadMs, seconds);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
