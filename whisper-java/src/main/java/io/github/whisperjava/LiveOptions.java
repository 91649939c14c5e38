package io.github.whisperjava;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link LiveTranscription} listens: the transcription parameters of each utterance, where
 * utterances end, how often partial text is decoded, and how much audio may wait.
 *
 * <p>Start from {@link #DEFAULTS} and change what you need with the {@code with…} methods.
 *
 * @param params how each utterance is transcribed, as {@link Whisper#transcribe(float[], TranscribeParams)}
 *     would; its own {@link TranscribeParams#vad()} is not used (the stream's endpointing is {@code vad})
 * @param vad endpointing: Silero VAD run on the stream as it arrives, with whisper.cpp's names and defaults
 *     ({@code threshold}; {@code minSilenceMs} of silence end an utterance, reported once 200 ms have
 *     passed, as whisper.cpp merges speech closer than that; {@code speechPadMs} of audio
 *     kept before and after it; speech shorter than {@code minSpeechMs} is ignored; {@code maxSpeechSeconds}
 *     and {@code samplesOverlapSeconds} are not used here). Null: no endpointing, only
 *     {@link LiveTranscription#commit()} and {@code maxUtterance} end an utterance
 * @param sampleRate the rate of the audio given to {@code accept}; resampled to 16 kHz
 * @param partialInterval how much new speech between two partial decodes of the current utterance;
 *     {@link Duration#ZERO}: no partials
 * @param maxUtterance an utterance this long is committed at its best pause (its least speech-like
 *     window in the last quarter), and the rest goes on as the next one
 * @param maxBuffered the most audio the session holds that is not yet transcribed (waiting for the
 *     worker, in the current utterance, or committed and waiting for a whisper state); audio past it is
 *     refused with an error event, never dropped silently
 */
public record LiveOptions(TranscribeParams params, VadOptions vad, int sampleRate, Duration partialInterval,
        Duration maxUtterance, Duration maxBuffered) {
    /**
     * Encoder window fitted to the utterance (a live utterance is short, and the full 30 s window would
     * cost most of the time from end of speech to final text), whisper.cpp's VAD defaults, 16 kHz,
     * partials every second of speech, utterances of at most 30 s, a minute of audio buffered.
     */
    public static final LiveOptions DEFAULTS = new LiveOptions(
            TranscribeParams.builder().encoderWindow(EncoderWindow.FIT_AUDIO).build(), VadOptions.DEFAULTS, 16_000,
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));

    public LiveOptions {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(partialInterval, "partialInterval");
        Objects.requireNonNull(maxUtterance, "maxUtterance");
        Objects.requireNonNull(maxBuffered, "maxBuffered");
        if (sampleRate < 1_000 || sampleRate > 384_000) {
            throw new IllegalArgumentException("sampleRate must be 1000..384000 Hz, got " + sampleRate);
        }
        if (partialInterval.isNegative()) {
            throw new IllegalArgumentException("partialInterval must not be negative, got " + partialInterval);
        }
        if (maxUtterance.compareTo(Duration.ofSeconds(1)) < 0 || maxUtterance.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("maxUtterance must be 1 s .. 10 min, got " + maxUtterance);
        }
        if (maxBuffered.compareTo(maxUtterance) < 0 || maxBuffered.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("maxBuffered must be maxUtterance (" + maxUtterance
                    + ") .. 1 h, got " + maxBuffered + ": a whole utterance must fit");
        }
    }

    public LiveOptions withParams(TranscribeParams p) {
        return new LiveOptions(p, vad, sampleRate, partialInterval, maxUtterance, maxBuffered);
    }

    /** Null: no endpointing; only {@link LiveTranscription#commit()} and {@code maxUtterance} end an utterance. */
    public LiveOptions withVad(VadOptions v) {
        return new LiveOptions(params, v, sampleRate, partialInterval, maxUtterance, maxBuffered);
    }

    public LiveOptions withSampleRate(int hz) {
        return new LiveOptions(params, vad, hz, partialInterval, maxUtterance, maxBuffered);
    }

    public LiveOptions withPartialInterval(Duration d) {
        return new LiveOptions(params, vad, sampleRate, d, maxUtterance, maxBuffered);
    }

    public LiveOptions withMaxUtterance(Duration d) {
        return new LiveOptions(params, vad, sampleRate, partialInterval, d, maxBuffered);
    }

    public LiveOptions withMaxBuffered(Duration d) {
        return new LiveOptions(params, vad, sampleRate, partialInterval, maxUtterance, d);
    }
}
