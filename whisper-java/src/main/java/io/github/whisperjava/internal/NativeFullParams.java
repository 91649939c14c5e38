package io.github.whisperjava.internal;

import io.github.whisperjava.SamplingStrategy;
import io.github.whisperjava.TranscribeParams;
import java.nio.charset.StandardCharsets;

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
    float tholdPt;
    int maxLen;
    boolean splitOnWord;
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

    NativeFullParams() {}

    /** Whether whisper.cpp knows {@code code} as a language ("auto" included); loads the natives first. */
    public static boolean isKnownLanguage(String code) {
        if (code.equals("auto")) {
            return true;
        }
        NativeLoader.load();
        return WhisperJni.languageId(code) >= 0;
    }

    /** Checks what only whisper.cpp knows (the language list) and flattens the params for the shim. */
    public static NativeFullParams of(TranscribeParams p) {
        NativeFullParams n = new NativeFullParams();
        n.strategy = p.strategy() == SamplingStrategy.BEAM_SEARCH ? 1 : 0;
        n.nThreads = p.threads();
        n.nMaxTextCtx = p.maxContextTokens() >= 0 ? p.maxContextTokens() : 16384; // whisper.cpp's default
        n.offsetMs = p.offsetMs();
        n.durationMs = p.durationMs();
        n.translate = p.translate();
        n.noContext = p.noContext();
        n.noTimestamps = p.noTimestamps();
        n.singleSegment = p.singleSegment();
        n.tokenTimestamps = p.tokenTimestamps() || p.maxSegmentLength() > 0; // as whisper-cli: -ml needs them
        n.tholdPt = p.tokenTimestampThreshold();
        n.maxLen = p.maxSegmentLength();
        n.splitOnWord = p.splitOnWord();
        n.maxTokens = p.maxTokensPerSegment();
        n.audioCtx = p.audioContext();
        String lang = p.language();
        if (!lang.equals("auto")) {
            if (!isKnownLanguage(lang)) {
                throw new IllegalArgumentException("unknown language code \"" + lang
                        + "\": use a whisper language code such as \"en\", \"de\", \"zh\", or \"auto\"");
            }
            n.language = lang.getBytes(StandardCharsets.UTF_8);
        }
        n.suppressBlank = true;
        n.suppressNst = p.suppressNonSpeechTokens();
        n.temperature = p.temperature();
        n.temperatureInc = p.temperatureIncrement();
        n.entropyThold = p.entropyThreshold();
        n.logprobThold = p.logprobThreshold();
        n.noSpeechThold = p.noSpeechThreshold();
        n.bestOf = p.bestOf();
        n.beamSize = p.beamSize();
        return n;
    }

    /** The threads this call runs with. */
    public int threads() {
        return nThreads;
    }

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

    /** Whether whisper.cpp is to detect the language (none was given). */
    public boolean detectsLanguage() {
        return language == null;
    }

    /** The language to decode in: a detected one, or null to let whisper.cpp detect it. */
    public void language(String code) {
        language = code == null ? null : code.getBytes(StandardCharsets.UTF_8);
    }
}
