package io.github.whisperjava.internal;

import io.github.whisperjava.Segment;
import io.github.whisperjava.Token;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Reads segments and tokens out of a {@code whisper_state} after (or during) a transcription.
 * Token bytes come from the model's vocabulary and are cached per model, since every call needs them.
 *
 * <p>Text stays bytes until it is whole: whisper.cpp joins a segment's token bytes, but a character
 * whose bytes straddle two segments would come out as U+FFFD at the end of one and the start of the
 * next. The bytes of such an unfinished character move to the segment that finishes it.
 */
public final class ResultReader {
    private final AtomicReferenceArray<byte[]> vocabulary;
    private final int endOfText;

    public ResultReader(int vocabularySize, int endOfTextToken) {
        this.vocabulary = new AtomicReferenceArray<>(vocabularySize);
        this.endOfText = endOfTextToken;
    }

    public int segmentCount(NativeModel.Lease lease) {
        return WhisperJni.nSegments(lease.state());
    }

    public String language(NativeModel.Lease lease) {
        int id = WhisperJni.langIdOfResult(lease.state());
        byte[] code = id < 0 ? null : WhisperJni.langStr(id);
        return code == null ? "" : new String(code, StandardCharsets.UTF_8);
    }

    public List<Segment> segments(NativeModel.Lease lease, int from, int to) {
        List<Segment> out = new ArrayList<>(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            out.add(segment(lease, i));
        }
        return out;
    }

    // callers hold the lease (during or after the call, before it is returned), so the pointers are alive
    Segment segment(NativeModel.Lease lease, int index) {
        long context = lease.context();
        long state = lease.state();
        long[] times = new long[3];
        WhisperJni.segmentTimes(state, index, times);
        String text = new String(wholeText(state, index), StandardCharsets.UTF_8);
        int n = WhisperJni.nTokens(state, index);
        int[] ids = new int[n];
        float[] probs = new float[n];
        long[] t0 = new long[n];
        long[] t1 = new long[n];
        long[] dtw = new long[n];
        WhisperJni.segmentTokens(state, index, ids, probs, t0, t1, dtw);
        List<Token> tokens = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long tokenStart = centisToMs(t0[i]);
            long tokenEnd = tokenStart < 0 ? centisToMs(t1[i]) : Math.max(tokenStart, centisToMs(t1[i]));
            byte[] bytes = tokenBytes(context, ids[i]);
            tokens.add(new Token(ids[i], new String(bytes, StandardCharsets.UTF_8), probs[i], tokenStart, tokenEnd,
                    centisToMs(dtw[i]), bytes, ids[i] >= endOfText));
        }
        // whisper.cpp can end a segment before it starts (seen: start 160 ms, end 140 ms, on noise);
        // an interval never runs backwards here
        long startMs = times[0] * 10;
        long endMs = Math.max(startMs, times[1] * 10);
        return new Segment(index, startMs, endMs, text, tokens,
                WhisperJni.segmentNoSpeechProb(state, index), times[2] != 0);
    }

    /**
     * Segment {@code index}'s bytes, less an unfinished character at its end when a later segment may
     * finish it, plus the unfinished character the segment before left. At the very end of a transcript
     * an unfinished character is dropped: whisper never finished it.
     */
    private static byte[] wholeText(long state, int index) {
        byte[] own = WhisperJni.segmentText(state, index);
        byte[] carried = new byte[0];
        if (index > 0) {
            byte[] before = WhisperJni.segmentText(state, index - 1);
            int tail = Utf8.incompleteTail(before, before.length);
            carried = Arrays.copyOfRange(before, before.length - tail, before.length);
        }
        int keep = own.length - Utf8.incompleteTail(own, own.length);
        byte[] out = Arrays.copyOf(carried, carried.length + keep);
        System.arraycopy(own, 0, out, carried.length, keep);
        return out;
    }

    private byte[] tokenBytes(long context, int id) {
        if (id < 0 || id >= vocabulary.length()) {
            return new byte[0];
        }
        byte[] b = vocabulary.get(id);
        if (b == null) {
            b = WhisperJni.tokenText(context, id);
            vocabulary.set(id, b);
        }
        return b;
    }

    private static long centisToMs(long centis) {
        return centis < 0 ? -1 : centis * 10;
    }
}
