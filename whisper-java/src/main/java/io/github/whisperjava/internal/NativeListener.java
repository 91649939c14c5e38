package io.github.whisperjava.internal;

import io.github.whisperjava.TranscriptionListener;

/**
 * The object the shim calls back during {@code whisper_full_with_state}, on the transcribing thread.
 * It turns "n new segments" into {@link io.github.whisperjava.Segment}s for the user's listener; an
 * exception it throws stops the transcription and reaches the caller (see cpp/whisper_jni.c).
 */
public final class NativeListener {
    private final TranscriptionListener user;
    private final ResultReader reader;
    private final long context;
    private final long state;
    private int delivered;

    public NativeListener(TranscriptionListener user, ResultReader reader, long context, long state) {
        this.user = user;
        this.reader = reader;
        this.context = context;
        this.state = state;
    }

    void onProgress(int percent) {
        user.onProgress(Math.max(0, Math.min(100, percent)));
    }

    void onNewSegments(int count) {
        int total = reader.segmentCount(state);
        for (int i = Math.max(delivered, total - count); i < total; i++) {
            user.onSegment(reader.segment(context, state, i));
        }
        delivered = total;
    }
}
