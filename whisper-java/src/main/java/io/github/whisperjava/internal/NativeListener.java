package io.github.whisperjava.internal;

import io.github.whisperjava.Segment;
import io.github.whisperjava.TranscriptionListener;
import java.util.function.UnaryOperator;

/**
 * The object the shim calls back during {@code whisper_full_with_state}, on the transcribing thread:
 * {@link #shouldStop()} once per encoder window and progress step (how a thread interrupt reaches
 * native code), and the user's listener, if any. An exception it throws stops the transcription and
 * reaches the caller (see cpp/whisper_jni.c).
 */
public final class NativeListener {
    private final TranscriptionListener user;
    private final ResultReader reader;
    private final NativeModel.Lease lease;
    private final UnaryOperator<Segment> remap;
    private int delivered;
    private boolean interrupted;

    /**
     * {@code remap}: how a segment's times become the caller's (bounded by the audio's end, see
     * {@link AudioEndClamp}; with VAD, mapped back first, see {@link SpeechMap#remap}).
     */
    public NativeListener(TranscriptionListener user, ResultReader reader, NativeModel.Lease lease,
            UnaryOperator<Segment> remap) {
        this.user = user;
        this.reader = reader;
        this.lease = lease;
        this.remap = remap;
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

    /**
     * Called by the shim from whisper.cpp's new_segment_callback (cpp/whisper_jni.c looks this method up
     * as {@code (I)V}, so the parameter stays). It delivers every segment not yet delivered, counted from
     * the state, and {@link #deliverRest()} after the call delivers those never announced.
     *
     * @param count ignored: whisper.cpp means it as how many segments are new, but with DTW token times on
     *     it passes each segment's index instead, and only for its first window
     */
    void onNewSegments(int count) {
        deliverRest();
    }

    /** Delivers the segments the listener has not seen yet, in order; the caller holds the lease. */
    public void deliverRest() {
        if (user == null) {
            return;
        }
        int total = reader.segmentCount(lease);
        for (int i = delivered; i < total; i++) {
            user.onSegment(remap.apply(reader.segment(lease, i)));
        }
        delivered = Math.max(delivered, total);
    }
}
