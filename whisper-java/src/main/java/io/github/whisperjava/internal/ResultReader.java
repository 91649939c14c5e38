package io.github.whisperjava.internal;

import io.github.whisperjava.Segment;
import io.github.whisperjava.Token;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Reads segments and tokens out of a {@code whisper_state} after (or during) a transcription.
 * Token texts come from the model's vocabulary and are cached per model, since every call needs them.
 */
public final class ResultReader {
    private final AtomicReferenceArray<String> vocabulary;

    public ResultReader(int vocabularySize) {
        this.vocabulary = new AtomicReferenceArray<>(vocabularySize);
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
        // whisper.cpp may cut a multi-byte character between segments: decode with replacement
        String text = new String(WhisperJni.segmentText(state, index), StandardCharsets.UTF_8);
        int n = WhisperJni.nTokens(state, index);
        int[] ids = new int[n];
        float[] probs = new float[n];
        long[] t0 = new long[n];
        long[] t1 = new long[n];
        WhisperJni.segmentTokens(state, index, ids, probs, t0, t1);
        List<Token> tokens = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long tokenStart = centisToMs(t0[i]);
            long tokenEnd = tokenStart < 0 ? centisToMs(t1[i]) : Math.max(tokenStart, centisToMs(t1[i]));
            tokens.add(new Token(ids[i], tokenText(context, ids[i]), probs[i], tokenStart, tokenEnd));
        }
        // whisper.cpp can end a segment before it starts (seen: start 160 ms, end 140 ms, on noise);
        // an interval never runs backwards here
        long startMs = times[0] * 10;
        long endMs = Math.max(startMs, times[1] * 10);
        return new Segment(index, startMs, endMs, text, tokens,
                WhisperJni.segmentNoSpeechProb(state, index), times[2] != 0);
    }

    private String tokenText(long context, int id) {
        if (id < 0 || id >= vocabulary.length()) {
            return "";
        }
        String s = vocabulary.get(id);
        if (s == null) {
            s = new String(WhisperJni.tokenText(context, id), StandardCharsets.UTF_8);
            vocabulary.set(id, s);
        }
        return s;
    }

    private static long centisToMs(long centis) {
        return centis < 0 ? -1 : centis * 10;
    }
}
