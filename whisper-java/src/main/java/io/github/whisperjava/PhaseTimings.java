package io.github.whisperjava;

/**
 * Where one transcription's time went, as whisper.cpp measures it inside its state (the phases
 * {@code whisper_print_timings} reports), plus the library's voice activity detection. Milliseconds;
 * a fitted window that fell back counts both runs.
 *
 * @param vadMs voice activity detection (0 without {@link TranscribeParams#vad()})
 * @param melMs log-mel spectrogram of the audio
 * @param encodeMs the encoder, every window
 * @param decodeMs decoder steps of one token
 * @param batchDecodeMs decoder steps of several tokens (beam search, best-of)
 * @param promptMs decoder passes over the prompt
 * @param sampleMs choosing tokens from the decoder's output
 * @param encoderRuns how many times the encoder ran: one per 30 s window, one more for a fitted window
 *     that fell back to the full one, one more to detect the language
 */
public record PhaseTimings(double vadMs, double melMs, double encodeMs, double decodeMs, double batchDecodeMs,
        double promptMs, double sampleMs, int encoderRuns) {
    /** Nothing measured: no run of whisper.cpp. */
    public static final PhaseTimings NONE = new PhaseTimings(0, 0, 0, 0, 0, 0, 0, 0);

    /** The sum of the phases: whisper.cpp's work for this call, without the JVM's. */
    public double totalMs() {
        return vadMs + melMs + encodeMs + decodeMs + batchDecodeMs + promptMs + sampleMs;
    }

    /** Both phases added: for a call that ran whisper.cpp more than once. */
    public PhaseTimings plus(PhaseTimings o) {
        return new PhaseTimings(vadMs + o.vadMs, melMs + o.melMs, encodeMs + o.encodeMs, decodeMs + o.decodeMs,
                batchDecodeMs + o.batchDecodeMs, promptMs + o.promptMs, sampleMs + o.sampleMs,
                encoderRuns + o.encoderRuns);
    }

    /** These timings with {@code ms} of voice activity detection. */
    public PhaseTimings withVad(double ms) {
        return new PhaseTimings(ms, melMs, encodeMs, decodeMs, batchDecodeMs, promptMs, sampleMs, encoderRuns);
    }
}
