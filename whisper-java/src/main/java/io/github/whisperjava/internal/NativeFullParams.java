package io.github.whisperjava.internal;

/**
 * The flat form of {@link io.github.whisperjava.TranscribeParams} that cpp/whisper_jni.c reads
 * field by field (names and types are cached there in {@code JNI_OnLoad}; keep them in step).
 * Text is NUL-free UTF-8; a {@code null} language means auto-detect. The initial prompt arrives
 * already tokenized ({@link PromptTokenizer}), so whisper.cpp's own tokenizer never runs on it.
 */
public final class NativeFullParams {
    int strategy;
    int nThreads;
    int nMaxTextCtx;
    int offsetMs;
    int durationMs;
    boolean translate;
    boolean noContext;
    boolean noTimestamps;
    boolean singleSegment;
    boolean tokenTimestamps;
    int maxTokens;
    int audioCtx;
    byte[] language;
    int[] promptTokens;
    boolean suppressBlank;
    boolean suppressNst;
    float temperature;
    float temperatureInc;
    float entropyThold;
    float logprobThold;
    float noSpeechThold;
    int bestOf;
    int beamSize;

    /** The threads this call was granted by {@link CpuBudget}, which may be fewer than it asked for. */
    public void threads(int n) {
        nThreads = n;
    }

    /** The encoder positions per window for this run; 0: the model's full window. */
    public void audioContext(int positions) {
        audioCtx = positions;
    }

    public void promptTokens(int[] tokens) {
        promptTokens = tokens;
    }
}
