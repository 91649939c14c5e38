package io.github.whisperjava;

/**
 * How much audio whisper's encoder looks at per 30 s window.
 *
 * <p>whisper.cpp encodes a full 30 s window (1,500 positions) for every request, even a 2 s one, and
 * on a CPU the encoder is nearly all of a short request's time. {@link #FIT_AUDIO} encodes only as
 * many positions as the audio needs plus a margin; it is faster in proportion, at a quality risk the
 * model was not trained for, so its output is checked and transcribed again with the full window when
 * it looks degenerate ({@link Transcript#windowFallback()} says so).
 */
public enum EncoderWindow {
    /** Always the model's full window: output identical to whisper-cli's. The default. */
    FULL,
    /**
     * For audio shorter than 30 s: 50 positions per second of audio plus 128 (2.56 s), at least 256
     * (5.12 s), at most the model's window; 30 s or more is encoded with full windows.
     */
    FIT_AUDIO
}
