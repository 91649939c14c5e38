package io.github.whisperjava.internal;

import io.github.whisperjava.Segment;
import io.github.whisperjava.SpeechSpan;
import io.github.whisperjava.Token;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The speech-only audio that voice activity detection leaves, and the way back from its times to the
 * original audio's. whisper.cpp 1.9.1 builds both inside {@code whisper_full} (static {@code whisper_vad}
 * and {@code map_processed_to_original_time} in src/whisper.cpp), which our pooled states cannot use;
 * this is the same arithmetic, step for step, so a transcription with VAD gives what whisper-cli's
 * {@code --vad} gives: each span (plus {@code overlap} of the following gap, but the last) copied in
 * order, 0.1 s of silence between spans, and times mapped by linear interpolation between the span
 * and gap boundaries, in centiseconds.
 */
public final class SpeechMap {
    static final int SAMPLE_RATE = 16_000;
    static final int SILENCE_SAMPLES = SAMPLE_RATE / 10;

    private final long[] spanCs; // start, end, start, end, ... as VAD found them
    private final int[] copyFrom; // per kept span: first sample, sample count, offset in the speech audio
    private final int length;
    private final long[] processed; // mapping table, sorted and unique by processed time
    private final long[] original;

    private SpeechMap(long[] spanCs, int[] copyFrom, int length, long[] processed, long[] original) {
        this.spanCs = spanCs;
        this.copyFrom = copyFrom;
        this.length = length;
        this.processed = processed;
        this.original = original;
    }

    /**
     * @param segmentsCs start and end of each speech span in centiseconds, as {@code whisper_vad_segments}
     *     gives them
     * @param nSamples samples of the original audio
     * @param overlapSeconds {@code samples_overlap}
     */
    public static SpeechMap of(float[] segmentsCs, int nSamples, float overlapSeconds) {
        int n = segmentsCs.length / 2;
        long[] cs = new long[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            cs[i] = (long) segmentsCs[i];
        }
        int overlap = (int) (overlapSeconds * SAMPLE_RATE);
        // the buffer whisper.cpp allocates (and then transcribes whole): sized by its first pass
        long needed = n > 1 ? (long) (n - 1) * SILENCE_SAMPLES : 0;
        for (int i = 0; i < n; i++) {
            int start = csToSamples(cs[2 * i]);
            int end = csToSamples(cs[2 * i + 1]);
            if (i < n - 1) {
                end += overlap;
            }
            end = Math.min(end, nSamples - 1);
            needed += end - start;
        }
        if (n == 0 || needed <= 0) {
            return new SpeechMap(cs, new int[0], 0, new long[0], new long[0]);
        }
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("speech audio of " + needed + " samples is too long");
        }
        List<long[]> table = new ArrayList<>();
        List<int[]> copies = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < n; i++) {
            int start = Math.min(csToSamples(cs[2 * i]), nSamples - 1);
            int end = Math.min(csToSamples(cs[2 * i + 1]), nSamples - 1);
            int originalLength = end - start;
            if (i < n - 1) {
                end = Math.min(end + overlap, nSamples - 1);
            }
            int segmentLength = end - start;
            if (segmentLength <= 0) {
                continue;
            }
            table.add(new long[] {samplesToCs(offset), cs[2 * i]});
            table.add(new long[] {samplesToCs(offset + originalLength), cs[2 * i + 1]});
            copies.add(new int[] {start, segmentLength, offset});
            offset += segmentLength;
            if (i < n - 1) {
                table.add(new long[] {samplesToCs(offset), cs[2 * i + 1]});
                table.add(new long[] {samplesToCs(offset + SILENCE_SAMPLES), cs[2 * i + 2]});
                offset += SILENCE_SAMPLES;
            }
        }
        table.sort((a, b) -> Long.compare(a[0], b[0])); // stable: of equal processed times the first is kept
        long[] p = new long[table.size()];
        long[] o = new long[table.size()];
        int k = 0;
        for (long[] e : table) {
            if (k > 0 && p[k - 1] == e[0]) {
                continue;
            }
            p[k] = e[0];
            o[k] = e[1];
            k++;
        }
        int[] flat = new int[copies.size() * 3];
        for (int i = 0; i < copies.size(); i++) {
            System.arraycopy(copies.get(i), 0, flat, 3 * i, 3);
        }
        return new SpeechMap(cs, flat, (int) needed, Arrays.copyOf(p, k), Arrays.copyOf(o, k));
    }

    /** No speech was found: nothing to transcribe. */
    public boolean isEmpty() {
        return length == 0;
    }

    /** Samples of the speech-only audio. */
    public int length() {
        return length;
    }

    /** The speech-only audio, cut from {@code samples}: a float[] or a FloatBuffer read from index 0. */
    public float[] speech(Object samples) {
        float[] out = new float[length];
        for (int i = 0; i < copyFrom.length; i += 3) {
            int from = copyFrom[i];
            int n = Math.min(copyFrom[i + 1], length - copyFrom[i + 2]);
            if (samples instanceof float[] a) {
                System.arraycopy(a, from, out, copyFrom[i + 2], n);
            } else {
                ((FloatBuffer) samples).get(from, out, copyFrom[i + 2], n);
            }
        }
        return out;
    }

    /** The spans VAD found, in milliseconds of the original audio. */
    public List<SpeechSpan> spans() {
        List<SpeechSpan> out = new ArrayList<>(spanCs.length / 2);
        for (int i = 0; i < spanCs.length; i += 2) {
            long start = Math.max(0, spanCs[i] * 10);
            out.add(new SpeechSpan(start, Math.max(start, spanCs[i + 1] * 10)));
        }
        return out;
    }

    /** A time of the speech-only audio as the time of the original audio, both in centiseconds. */
    long toOriginalCs(long processedCs) {
        if (processed.length == 0) {
            return processedCs;
        }
        if (processedCs <= processed[0]) {
            return original[0];
        }
        int last = processed.length - 1;
        if (processedCs >= processed[last]) {
            return original[last];
        }
        int upper = Arrays.binarySearch(processed, processedCs);
        if (upper >= 0) {
            return original[upper];
        }
        upper = -upper - 1; // first entry greater than processedCs
        int lower = upper - 1;
        long processedDiff = processed[upper] - processed[lower];
        if (processedDiff == 0) {
            return original[lower];
        }
        return original[lower] + (processedCs - processed[lower]) * (original[upper] - original[lower]) / processedDiff;
    }

    /** A segment's end, mapped as whisper.cpp maps it: at least 10 cs after its mapped start. */
    long segmentEndCs(long processedStartCs, long processedEndCs) {
        long start = toOriginalCs(processedStartCs);
        long end = toOriginalCs(processedEndCs);
        return end - start < 10 ? start + 10 : end;
    }

    /**
     * {@code s}, transcribed from the speech-only audio, in the original audio's time: the segment as
     * whisper.cpp maps it (start, and end at least 10 cs later), token times by the same table.
     */
    public Segment remap(Segment s) {
        long startCs = s.startMs() / 10;
        long endCs = s.endMs() / 10;
        List<Token> tokens = new ArrayList<>(s.tokens().size());
        for (Token t : s.tokens()) {
            long start = t.startMs() < 0 ? -1 : toOriginalCs(t.startMs() / 10) * 10;
            long end = t.endMs() < 0 ? -1 : Math.max(start, toOriginalCs(t.endMs() / 10) * 10);
            long dtw = t.dtwMs() < 0 ? -1 : toOriginalCs(t.dtwMs() / 10) * 10;
            tokens.add(t.withTimes(start, end, dtw));
        }
        return new Segment(s.index(), toOriginalCs(startCs) * 10, segmentEndCs(startCs, endCs) * 10, s.text(), tokens,
                s.noSpeechProbability(), s.speakerTurnNext());
    }

    static int csToSamples(long cs) {
        return (int) ((cs / 100.0) * SAMPLE_RATE + 0.5);
    }

    static long samplesToCs(int samples) {
        return (long) ((samples / (double) SAMPLE_RATE) * 100.0 + 0.5);
    }
}
