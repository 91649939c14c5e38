package io.github.whisperjava.internal;

import io.github.whisperjava.TranscriptionListener;

/**
 * The object the shim calls back during {@code whisper_full_with_state}, on the transcribing thread:
 * {@link #shouldStop()} once per encoder window and progress step (how a thread interrupt reaches
 * native code), and the user's listener, if any. An exception it throws stops the transcription and
 * reaches the caller (see cpp/whisper_jni.c).
 */
public final class NativeListener {
    private final TranscriptionListener user;
    private final ResultReader reader;
    private final long context;
    private final long state;
    private int delivered;
    private boolean interrupted;

    public NativeListener(TranscriptionListener user, ResultReader reader, long context, long state) {
        this.user = user;
        this.reader = reader;
        this.context = context;
        this.state = state;
    }

    /** True once the calling thread was seen interrupted (its interrupt flag is left set). */
    public boolean interrupted() {
        return interrupted;
    }

    boolean shouldStop() {
        if (Thread.currentThread().isInterrupted()) {
            interrupted = true;
        }
        return interrupted;
    }

    void onProgress(int percent) {
        if (user != null) {
            user.onProgress(Math.max(0, Math.min(100, percent)));
        }
    }

    void onNewSegments(int count) {
        if (user == null) {
            return;
        }
        int total = reader.segmentCount(state);
        for (int i = Math.max(delivered, total - count); i < total; i++) {
            user.onSegment(reader.segment(context, state, i));
        }
        delivered = total;
    }
}
