package io.github.whisperjava;

import io.github.whisperjava.audio.WavReader;
import java.time.Duration;
import java.util.Objects;

/**
 * How to transcribe: immutable, built with {@link #builder()}, safe to share between threads.
 * Defaults are whisper.cpp's own ({@code whisper_full_default_params(GREEDY)}), so a result matches
 * what {@code whisper-cli -bs 1 -bo 5} produces for the same audio; invalid values are rejected by
 * {@link Builder#build()} rather than reaching native code.
 */
public final class TranscribeParams {
    /** Greedy decoding, {@code min(4, cores)} threads, English, whisper.cpp's defaults otherwise. */
    public static final TranscribeParams DEFAULTS = builder().build();

    /** whisper.cpp runs at most this many decoders (WHISPER_MAX_DECODERS). */
    public static final int MAX_DECODERS = 8;

    private final SamplingStrategy strategy;
    private final int threads;
    private final String language;
    private final boolean translate;
    private final boolean noContext;
    private final boolean singleSegment;
    private final boolean noTimestamps;
    private final boolean tokenTimestamps;
    private final float tokenTimestampThreshold;
    private final int maxSegmentLength;
    private final boolean splitOnWord;
    private final float temperature;
    private final float temperatureIncrement;
    private final int bestOf;
    private final int beamSize;
    private final float entropyThreshold;
    private final float logprobThreshold;
    private final float noSpeechThreshold;
    private final int maxContextTokens;
    private final String initialPrompt;
    private final int offsetMs;
    private final int durationMs;
    private final int maxTokensPerSegment;
    private final int audioContext;
    private final EncoderWindow encoderWindow;
    private final boolean suppressNonSpeechTokens;
    private final Duration timeout;
    private final Duration queueTimeout;
    private final Duration maxAudioDuration;
    private final VadOptions vad;

    private TranscribeParams(Builder b) {
        strategy = b.strategy;
        threads = b.threads;
        language = b.language;
        translate = b.translate;
        noContext = b.noContext;
        singleSegment = b.singleSegment;
        noTimestamps = b.noTimestamps;
        tokenTimestamps = b.tokenTimestamps;
        tokenTimestampThreshold = b.tokenTimestampThreshold;
        maxSegmentLength = b.maxSegmentLength;
        splitOnWord = b.splitOnWord;
        temperature = b.temperature;
        temperatureIncrement = b.temperatureIncrement;
        bestOf = b.bestOf;
        beamSize = b.beamSize;
        entropyThreshold = b.entropyThreshold;
        logprobThreshold = b.logprobThreshold;
        noSpeechThreshold = b.noSpeechThreshold;
        maxContextTokens = b.maxContextTokens;
        initialPrompt = b.initialPrompt;
        offsetMs = b.offsetMs;
        durationMs = b.durationMs;
        maxTokensPerSegment = b.maxTokensPerSegment;
        audioContext = b.audioContext;
        encoderWindow = b.encoderWindow;
        suppressNonSpeechTokens = b.suppressNonSpeechTokens;
        timeout = b.timeout;
        queueTimeout = b.queueTimeout;
        maxAudioDuration = b.maxAudioDuration;
        vad = b.vad;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public SamplingStrategy strategy() { return strategy; }

    public int threads() { return threads; }

    /** A language code such as {@code "en"}, or {@code "auto"} to detect it. */
    public String language() { return language; }

    public boolean translate() { return translate; }

    public boolean noContext() { return noContext; }

    public boolean singleSegment() { return singleSegment; }

    public boolean noTimestamps() { return noTimestamps; }

    /** Whether tokens (and so {@link Segment#words()}) get start and end times. */
    public boolean tokenTimestamps() { return tokenTimestamps; }

    /** whisper.cpp's {@code thold_pt}: the timestamp-token probability a token time needs (whisper-cli {@code -wt}). */
    public float tokenTimestampThreshold() { return tokenTimestampThreshold; }

    /** Split segments longer than this many characters; 0: no limit (whisper-cli {@code -ml}). */
    public int maxSegmentLength() { return maxSegmentLength; }

    /** With {@link #maxSegmentLength()}, split at the last word boundary rather than any token (whisper-cli {@code -sow}). */
    public boolean splitOnWord() { return splitOnWord; }

    public float temperature() { return temperature; }

    public float temperatureIncrement() { return temperatureIncrement; }

    public int bestOf() { return bestOf; }

    public int beamSize() { return beamSize; }

    /** A window's decoding fails, and is retried hotter, when its tokens' entropy is below this (whisper-cli {@code -et}). */
    public float entropyThreshold() { return entropyThreshold; }

    /** A window's decoding fails when its average log probability is below this (whisper-cli {@code -lpt}). */
    public float logprobThreshold() { return logprobThreshold; }

    /** A window counts as silence when whisper's no-speech probability is above this (whisper-cli {@code -nth}). */
    public float noSpeechThreshold() { return noSpeechThreshold; }

    /**
     * How many tokens of earlier text the decoder is given as context, or -1 for whisper.cpp's default
     * (whisper-cli {@code -mc}); 0 turns it off, as {@link #noContext()} does.
     */
    public int maxContextTokens() { return maxContextTokens; }

    /** Text given to the decoder as context, or null. */
    public String initialPrompt() { return initialPrompt; }

    public int offsetMs() { return offsetMs; }

    public int durationMs() { return durationMs; }

    public int maxTokensPerSegment() { return maxTokensPerSegment; }

    public int audioContext() { return audioContext; }

    /** How much audio the encoder looks at; {@link #audioContext()}, when set, wins. */
    public EncoderWindow encoderWindow() { return encoderWindow; }

    public boolean suppressNonSpeechTokens() { return suppressNonSpeechTokens; }

    /** How long one transcription may run before it is cancelled, or null for no limit. */
    public Duration timeout() { return timeout; }

    /** How long to wait for a free whisper_state when all are busy, or null to wait as long as it takes. */
    public Duration queueTimeout() { return queueTimeout; }

    /** The longest audio file {@code transcribe(Path)} reads; longer ones are refused before they are decoded. */
    public Duration maxAudioDuration() { return maxAudioDuration; }

    /** Voice activity detection for this call, or null (the default): the whole audio is transcribed. */
    public VadOptions vad() { return vad; }

    @Override
    public String toString() {
        return "TranscribeParams{strategy=" + strategy + ", threads=" + threads + ", language=" + language
                + ", translate=" + translate + ", beamSize=" + beamSize + ", bestOf=" + bestOf
                + ", temperature=" + temperature + ", tokenTimestamps=" + tokenTimestamps
                + (maxSegmentLength > 0 ? ", maxSegmentLength=" + maxSegmentLength + ", splitOnWord=" + splitOnWord : "")
                + ", encoderWindow=" + encoderWindow + (audioContext > 0 ? ", audioContext=" + audioContext : "")
                + (vad != null ? ", vad=" + vad : "") + ", timeout=" + timeout + "}";
    }

    /** Builds {@link TranscribeParams}; every setter returns the builder. */
    public static final class Builder {
        private SamplingStrategy strategy = SamplingStrategy.GREEDY;
        private int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
        private String language = "en";
        private boolean translate;
        private boolean noContext = true;
        private boolean singleSegment;
        private boolean noTimestamps;
        private boolean tokenTimestamps;
        private float tokenTimestampThreshold = 0.01f;
        private int maxSegmentLength;
        private boolean splitOnWord;
        private float temperature = 0.0f;
        private float temperatureIncrement = 0.2f;
        private int bestOf = 5;
        private int beamSize = 5;
        private float entropyThreshold = 2.4f;
        private float logprobThreshold = -1.0f;
        private float noSpeechThreshold = 0.6f;
        private int maxContextTokens = -1;
        private String initialPrompt;
        private int offsetMs;
        private int durationMs;
        private int maxTokensPerSegment;
        private int audioContext;
        private EncoderWindow encoderWindow = EncoderWindow.FULL;
        private boolean suppressNonSpeechTokens;
        private Duration timeout;
        private Duration queueTimeout;
        private Duration maxAudioDuration = WavReader.DEFAULT_MAX_DURATION;
        private VadOptions vad;

        private Builder() {}

        private Builder(TranscribeParams p) {
            strategy = p.strategy;
            threads = p.threads;
            language = p.language;
            translate = p.translate;
            noContext = p.noContext;
            singleSegment = p.singleSegment;
            noTimestamps = p.noTimestamps;
            tokenTimestamps = p.tokenTimestamps;
            tokenTimestampThreshold = p.tokenTimestampThreshold;
            maxSegmentLength = p.maxSegmentLength;
            splitOnWord = p.splitOnWord;
            temperature = p.temperature;
            temperatureIncrement = p.temperatureIncrement;
            bestOf = p.bestOf;
            beamSize = p.beamSize;
            entropyThreshold = p.entropyThreshold;
            logprobThreshold = p.logprobThreshold;
            noSpeechThreshold = p.noSpeechThreshold;
            maxContextTokens = p.maxContextTokens;
            initialPrompt = p.initialPrompt;
            offsetMs = p.offsetMs;
            durationMs = p.durationMs;
            maxTokensPerSegment = p.maxTokensPerSegment;
            audioContext = p.audioContext;
            encoderWindow = p.encoderWindow;
            suppressNonSpeechTokens = p.suppressNonSpeechTokens;
            timeout = p.timeout;
            queueTimeout = p.queueTimeout;
            maxAudioDuration = p.maxAudioDuration;
            vad = p.vad;
        }

        public Builder strategy(SamplingStrategy v) { strategy = Objects.requireNonNull(v, "strategy"); return this; }

        /** Beam search with this many beams (1..8). */
        public Builder beamSearch(int beams) { strategy = SamplingStrategy.BEAM_SEARCH; beamSize = beams; return this; }

        public Builder threads(int v) { threads = v; return this; }

        /** A whisper language code ({@code "en"}, {@code "de"}, ...) or {@code "auto"}. */
        public Builder language(String v) { language = Objects.requireNonNull(v, "language"); return this; }

        public Builder translate(boolean v) { translate = v; return this; }

        public Builder noContext(boolean v) { noContext = v; return this; }

        public Builder singleSegment(boolean v) { singleSegment = v; return this; }

        public Builder noTimestamps(boolean v) { noTimestamps = v; return this; }

        /** Times for every token and word ({@link Segment#words()}); off by default. */
        public Builder tokenTimestamps(boolean v) { tokenTimestamps = v; return this; }

        /** See {@link TranscribeParams#tokenTimestampThreshold()}; default 0.01. */
        public Builder tokenTimestampThreshold(float v) { tokenTimestampThreshold = v; return this; }

        /**
         * Split segments at this many characters (1: a segment per word, with {@link #splitOnWord});
         * turns token timestamps on, as whisper.cpp needs them to time the pieces. 0 (default): no limit.
         */
        public Builder maxSegmentLength(int v) { maxSegmentLength = v; return this; }

        /** See {@link TranscribeParams#splitOnWord()}. */
        public Builder splitOnWord(boolean v) { splitOnWord = v; return this; }

        public Builder temperature(float v) { temperature = v; return this; }

        public Builder temperatureIncrement(float v) { temperatureIncrement = v; return this; }

        public Builder bestOf(int v) { bestOf = v; return this; }

        public Builder beamSize(int v) { beamSize = v; return this; }

        /** See {@link TranscribeParams#entropyThreshold()}; default 2.4. */
        public Builder entropyThreshold(float v) { entropyThreshold = v; return this; }

        /** See {@link TranscribeParams#logprobThreshold()}; default -1. */
        public Builder logprobThreshold(float v) { logprobThreshold = v; return this; }

        /** See {@link TranscribeParams#noSpeechThreshold()}; default 0.6. */
        public Builder noSpeechThreshold(float v) { noSpeechThreshold = v; return this; }

        /** See {@link TranscribeParams#maxContextTokens()}; default -1. */
        public Builder maxContextTokens(int v) { maxContextTokens = v; return this; }

        public Builder initialPrompt(String v) { initialPrompt = v; return this; }

        public Builder offsetMs(int v) { offsetMs = v; return this; }

        public Builder durationMs(int v) { durationMs = v; return this; }

        /** Upper bound of tokens per segment; 0 = no limit. Also bounds decoding work. */
        public Builder maxTokensPerSegment(int v) { maxTokensPerSegment = v; return this; }

        public Builder audioContext(int v) { audioContext = v; return this; }

        /**
         * {@link EncoderWindow#FIT_AUDIO}: encode only what a clip shorter than 30 s needs, with a
         * fall-back to the full window when the result looks degenerate. Default {@link EncoderWindow#FULL}.
         */
        public Builder encoderWindow(EncoderWindow v) { encoderWindow = Objects.requireNonNull(v, "encoderWindow"); return this; }

        public Builder suppressNonSpeechTokens(boolean v) { suppressNonSpeechTokens = v; return this; }

        /** Cancel the transcription once it has run this long; null = no limit. */
        public Builder timeout(Duration v) { timeout = v; return this; }

        /** Give up with {@link ModelBusyException} when no state is free within this; null = wait. */
        public Builder queueTimeout(Duration v) { queueTimeout = v; return this; }

        /**
         * Refuse audio files longer than this with {@link AudioTooLongException}, from their header, before
         * memory is allocated for them (default 3 hours: 691 MB of samples).
         */
        public Builder maxAudioDuration(Duration v) { maxAudioDuration = Objects.requireNonNull(v, "maxAudioDuration"); return this; }

        /**
         * Transcribe only the speech that voice activity detection finds ({@link VadOptions}); null: all
         * of the audio. Times in the result stay those of the audio passed in.
         */
        public Builder vad(VadOptions v) { vad = v; return this; }

        public TranscribeParams build() {
            check(threads >= 1 && threads <= 512, "threads must be 1..512, got " + threads);
            check(bestOf >= 1 && bestOf <= MAX_DECODERS, "bestOf must be 1.." + MAX_DECODERS + ", got " + bestOf);
            check(beamSize >= 1 && beamSize <= MAX_DECODERS,
                    "beamSize must be 1.." + MAX_DECODERS + ", got " + beamSize);
            check(Float.isFinite(temperature) && temperature >= 0, "temperature must be >= 0, got " + temperature);
            check(Float.isFinite(temperatureIncrement) && temperatureIncrement >= 0,
                    "temperatureIncrement must be >= 0, got " + temperatureIncrement);
            check(Float.isFinite(entropyThreshold), "entropyThreshold must be finite, got " + entropyThreshold);
            check(Float.isFinite(logprobThreshold), "logprobThreshold must be finite, got " + logprobThreshold);
            check(Float.isFinite(noSpeechThreshold), "noSpeechThreshold must be finite, got " + noSpeechThreshold);
            check(maxContextTokens >= -1, "maxContextTokens must be >= -1, got " + maxContextTokens);
            check(offsetMs >= 0, "offsetMs must be >= 0, got " + offsetMs);
            check(durationMs >= 0, "durationMs must be >= 0, got " + durationMs);
            check(Float.isFinite(tokenTimestampThreshold) && tokenTimestampThreshold >= 0 && tokenTimestampThreshold <= 1,
                    "tokenTimestampThreshold must be 0..1, got " + tokenTimestampThreshold);
            check(maxSegmentLength >= 0, "maxSegmentLength must be >= 0, got " + maxSegmentLength);
            check(maxTokensPerSegment >= 0, "maxTokensPerSegment must be >= 0, got " + maxTokensPerSegment);
            check(audioContext >= 0 && audioContext <= 1500, "audioContext must be 0..1500, got " + audioContext);
            check(!language.isBlank() && language.length() <= 16 && language.chars().allMatch(c -> c > ' ' && c < 127),
                    "language must be a code such as \"en\" or \"auto\", got \"" + language + "\"");
            check(initialPrompt == null || initialPrompt.indexOf('\0') < 0, "initialPrompt must not contain NUL");
            check(timeout == null || (!timeout.isNegative() && !timeout.isZero()),
                    "timeout must be positive, got " + timeout);
            check(queueTimeout == null || !queueTimeout.isNegative(), "queueTimeout must be >= 0, got " + queueTimeout);
            check(!maxAudioDuration.isNegative() && !maxAudioDuration.isZero(),
                    "maxAudioDuration must be positive, got " + maxAudioDuration);
            check(vad == null || (offsetMs == 0 && durationMs == 0),
                    "offsetMs and durationMs cannot be combined with vad: cut the audio first");
            return new TranscribeParams(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
