package io.github.whisperjava.internal;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Where speech starts and ends in a stream of Silero probabilities, one per 32 ms window, decided as they
 * arrive so that the utterances are the spans whisper.cpp's {@code whisper_vad_segments_from_probs} finds
 * in the whole stream (before its padding). Its rules: a window at or above {@code threshold} starts a run
 * of speech; the run ends at the first window below {@code threshold - 0.15} of a silence that lasts
 * {@code minSilence} samples (from that window's start to the current window's), where a window at or
 * above the threshold starts the count again; a run no longer than {@code minSpeech} is dropped; kept runs
 * less than 200 ms apart are merged. So an end is reported once no run that would merge can still start
 * (200 ms after it), or once the one that started is dropped. Windows count from the start of the stream.
 */
public final class SpeechEndpointer {
    /** What a window decided; a window can stop one utterance and start the next. */
    public enum Change { NONE, STARTED, STOPPED }

    /** whisper.cpp's {@code max_merge_gap_samples}: kept runs closer than this are one span. */
    static final int MERGE_GAP_SAMPLES = 3_200;
    private static final int WINDOW = SpeechDetector.WINDOW;

    private final float threshold;
    private final float offThreshold;
    private final long minSpeechSamples;
    private final long minSilenceSamples;
    private final ArrayDeque<Change> changes = new ArrayDeque<>();
    private long window;            // windows fed so far
    private long runStart = -1;     // first window of the run of speech heard now, -1 when none
    private boolean runKept;        // the run is longer than minSpeech
    private long silenceFrom = -1;  // first silent window inside the run
    private long uttStart = -1;     // first window of the utterance reported started and not stopped
    private long pendingEnd = -1;   // its speech ended here, unless a run that merges follows
    private long end = -1;          // the last utterance reported stopped ended here
    private float[] probs = new float[256]; // from the open utterance's start, else from the run's
    private int nProbs;

    /** Durations in 16 kHz samples, as whisper.cpp turns {@code whisper_vad_params}' milliseconds into them. */
    public SpeechEndpointer(float threshold, long minSpeechSamples, long minSilenceSamples) {
        this.threshold = threshold;
        this.offThreshold = Math.max(threshold - 0.15f, 0.01f);
        this.minSpeechSamples = minSpeechSamples;
        this.minSilenceSamples = minSilenceSamples;
    }

    /** The first change this window makes; {@link #next()} gives any further one. */
    public Change feed(float p) {
        changes.clear();
        long w = window++;
        if (pendingEnd >= 0 && runStart < 0 && (w - pendingEnd) * WINDOW >= MERGE_GAP_SAMPLES) {
            stop();
        }
        if (runStart < 0) {
            if (p < threshold) {
                if (uttStart >= 0) {
                    keep(p);
                }
                return next();
            }
            runStart = w;
            runKept = false;
            silenceFrom = -1;
            if (uttStart < 0) {
                nProbs = 0; // a new utterance's probabilities, if this run is kept, start here
            }
        } else if (p >= threshold) {
            silenceFrom = -1;
        } else if (p < offThreshold && silenceFrom < 0) {
            silenceFrom = w;
        }
        keep(p);
        long runEnd = silenceFrom < 0 ? w + 1 : silenceFrom;
        if (!runKept && (runEnd - runStart) * WINDOW > minSpeechSamples) {
            runKept = true;
            if (pendingEnd >= 0) {
                pendingEnd = -1; // merged into the open utterance
            } else {
                uttStart = runStart;
                changes.add(Change.STARTED);
            }
        }
        if (silenceFrom >= 0 && (w - silenceFrom) * WINDOW >= minSilenceSamples) {
            if (runKept) {
                pendingEnd = silenceFrom;
            }
            runStart = -1;
            silenceFrom = -1;
            if (pendingEnd >= 0 && (w - pendingEnd) * WINDOW >= MERGE_GAP_SAMPLES) {
                stop();
            }
        }
        return next();
    }

    /** The next change of the window last fed, or NONE. */
    public Change next() {
        Change c = changes.poll();
        return c == null ? Change.NONE : c;
    }

    private void stop() {
        end = pendingEnd;
        pendingEnd = -1;
        uttStart = -1;
        changes.add(Change.STOPPED);
    }

    private void keep(float p) {
        if (nProbs == probs.length) {
            probs = Arrays.copyOf(probs, nProbs * 2);
        }
        probs[nProbs++] = p;
    }

    /** Whether an utterance was reported started and not yet stopped. */
    public boolean inSpeech() {
        return uttStart >= 0;
    }

    /** First window of the open utterance, else of a run not yet long enough to report, else -1. */
    public long speechStart() {
        return uttStart >= 0 ? uttStart : runStart;
    }

    /** After {@link Change#STOPPED}: the first silent window, where the speech ended. */
    public long speechEnd() {
        return end;
    }

    /**
     * The least speech-like window of the open utterance at or after window {@code from} (never its first):
     * where to cut an utterance that grew too long. The next utterance starts there, still in speech.
     */
    public long bestPause(long from) {
        int lo = (int) Math.max(1, Math.min(nProbs - 1, from - uttStart));
        int best = lo;
        for (int i = lo; i < nProbs; i++) {
            if (probs[i] <= probs[best]) {
                best = i;
            }
        }
        long cut = uttStart + best;
        System.arraycopy(probs, best, probs, 0, nProbs - best);
        nProbs -= best;
        uttStart = cut;
        return cut;
    }

    /** Back to silence without a report (the caller committed or cleared the speech). */
    public void reset() {
        runStart = -1;
        runKept = false;
        silenceFrom = -1;
        uttStart = -1;
        pendingEnd = -1;
        nProbs = 0;
        changes.clear();
    }
}
