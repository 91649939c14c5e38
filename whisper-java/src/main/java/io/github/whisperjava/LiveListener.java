package io.github.whisperjava;

/**
 * Receives a {@link LiveTranscription}'s events. Every call comes from the session's own worker thread,
 * one at a time, in the order of the stream; times are milliseconds of the stream's own clock (the audio
 * accepted so far, at 16 kHz). Utterances are numbered from 0. For one utterance the order is: speech
 * started, partials, speech stopped (not when {@link LiveTranscription#commit()} ended it), committed,
 * final. The next utterance's events may come before this one's final, which waits for a whisper state.
 *
 * <p>A listener that throws ends the session (as {@link LiveTranscription#abort()}); what it threw is
 * logged. A listener may call the session's {@code accept}, {@code commit} and {@code clear}, but must not
 * wait for {@code close()}: that waits for this thread.
 */
public interface LiveListener {
    /** Speech began at {@code startMs} (reported once it has lasted the VAD's minimum speech duration). */
    default void onSpeechStarted(int utterance, long startMs) {}

    /** The current utterance decoded so far; see {@link LivePartial} for which part is stable. */
    default void onPartial(LivePartial partial) {}

    /** The VAD heard enough silence: speech ended at {@code endMs}. */
    default void onSpeechStopped(int utterance, long endMs) {}

    /** The utterance's audio, {@code [startMs, endMs)}, is closed and will be transcribed. */
    default void onCommitted(int utterance, long startMs, long endMs) {}

    /** The utterance's transcript: its text never changes after this. */
    default void onFinal(LiveUtterance utterance) {}

    /**
     * Something went wrong that the session survives: audio refused ({@link LiveBufferFullException}), or
     * an utterance that could not be transcribed (it gets no final).
     */
    default void onError(WhisperException error) {}
}
