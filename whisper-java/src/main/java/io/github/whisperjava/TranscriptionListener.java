package io.github.whisperjava;

/**
 * Receives a transcription's progress while it runs, on the thread that called {@code transcribe}.
 * An exception thrown here stops the transcription and is rethrown to that caller.
 */
public interface TranscriptionListener {
    /** Progress in percent, 0..100, as whisper.cpp reports it. */
    default void onProgress(int percent) {}

    /** A segment is final; segments arrive in order, before the whole transcript is done. */
    default void onSegment(Segment segment) {}
}
