package io.github.whisperjava.examples;

import io.github.whisperjava.EncoderWindow;
import io.github.whisperjava.SamplingStrategy;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.VadOptions;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How to decode: whisper-cli's decoding flags with their meaning, plus ours. A flag not given keeps
 * {@link TranscribeParams}'s default, which is whisper.cpp's, except that decoding is greedy unless
 * {@code -bs N} asks for more than one beam (whisper-cli's default is {@code -bs 5}).
 */
final class DecodingFlags {
    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "threads per transcription (default min(4, cores))")
    Integer threads;

    @Option(names = {"-l", "--language"}, paramLabel = "CODE", description = "spoken language, or auto (default en)")
    String language;

    @Option(names = {"-tr", "--translate"}, description = "translate to English")
    boolean translate;

    @Option(names = {"-bs", "--beam-size", "--beam"}, paramLabel = "N",
            description = "beam search with N beams when N > 1 (default: greedy)")
    Integer beamSize;

    @Option(names = {"-bo", "--best-of"}, paramLabel = "N", description = "candidates sampled per fallback step (default 5)")
    Integer bestOf;

    @Option(names = {"-tp", "--temperature"}, paramLabel = "T", description = "sampling temperature (default 0)")
    Float temperature;

    @Option(names = {"-tpi", "--temperature-inc"}, paramLabel = "T",
            description = "temperature added on each fallback (default 0.2)")
    Float temperatureIncrement;

    @Option(names = {"-nf", "--no-fallback"}, description = "no temperature fallback (-tpi 0)")
    boolean noFallback;

    @Option(names = {"-et", "--entropy-thold"}, paramLabel = "N", description = "entropy threshold for decoder fail (default 2.40)")
    Float entropyThreshold;

    @Option(names = {"-lpt", "--logprob-thold"}, paramLabel = "N",
            description = "log probability threshold for decoder fail (default -1.00)")
    Float logprobThreshold;

    @Option(names = {"-nth", "--no-speech-thold"}, paramLabel = "N", description = "no-speech threshold (default 0.60)")
    Float noSpeechThreshold;

    @Option(names = {"-mc", "--max-context"}, paramLabel = "N",
            description = "text context tokens kept from earlier windows (default -1: whisper.cpp's)")
    Integer maxContext;

    @Option(names = {"-ml", "--max-len"}, paramLabel = "N", description = "split segments at N characters (0: no limit)")
    Integer maxLength;

    @Option(names = {"-sow", "--split-on-word"}, description = "with -ml, split at words rather than tokens")
    boolean splitOnWord;

    @Option(names = "--word-timestamps", description = "time every word (printed under each segment)")
    boolean wordTimestamps;

    @Option(names = {"-wt", "--word-thold"}, paramLabel = "P", description = "word timestamp probability threshold (default 0.01)")
    Float wordThreshold;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "initial prompt")
    String prompt;

    @Option(names = {"-ot", "--offset-t"}, paramLabel = "MS", description = "start this many milliseconds into the audio")
    Integer offsetMs;

    @Option(names = {"-d", "--duration"}, paramLabel = "MS", description = "transcribe only this many milliseconds")
    Integer durationMs;

    @Option(names = {"-ac", "--audio-ctx"}, paramLabel = "N", description = "encoder positions (0: all 1500)")
    Integer audioContext;

    @Option(names = {"-sns", "--suppress-nst"}, description = "suppress non-speech tokens")
    boolean suppressNonSpeech;

    @Option(names = {"-nt", "--no-timestamps"}, description = "no timestamps (decoded and printed)")
    boolean noTimestamps;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "give up on a file after this long")
    Integer timeoutSeconds;

    @Option(names = "--max-tokens", paramLabel = "N", description = "at most N tokens per segment")
    Integer maxTokens;

    @Option(names = "--fit-window", description = "encode only what a clip under 30 s needs (faster; a result that "
            + "looks degenerate is transcribed again with the full window)")
    boolean fitWindow;

    /**
     * The parameters, checked by the library (an invalid value is an IllegalArgumentException).
     *
     * @param tokenTimestamps whether an output needs token times anyway (json-full, as whisper-cli's -ojf)
     */
    TranscribeParams params(VadOptions vad, boolean tokenTimestamps) {
        TranscribeParams.Builder b = TranscribeParams.builder();
        if (threads != null) {
            b.threads(threads);
        }
        if (language != null) {
            b.language(language.toLowerCase(Locale.ROOT)); // as whisper-cli does
        }
        b.translate(translate);
        if (beamSize != null) {
            if (beamSize > 1) {
                b.beamSearch(beamSize);
            } else {
                b.strategy(SamplingStrategy.GREEDY).beamSize(beamSize);
            }
        }
        if (bestOf != null) {
            b.bestOf(bestOf);
        }
        if (temperature != null) {
            b.temperature(temperature);
        }
        if (temperatureIncrement != null) {
            b.temperatureIncrement(temperatureIncrement);
        }
        if (noFallback) {
            b.temperatureIncrement(0);
        }
        if (entropyThreshold != null) {
            b.entropyThreshold(entropyThreshold);
        }
        if (logprobThreshold != null) {
            b.logprobThreshold(logprobThreshold);
        }
        if (noSpeechThreshold != null) {
            b.noSpeechThreshold(noSpeechThreshold);
        }
        if (maxContext != null) {
            b.maxContextTokens(maxContext);
        }
        if (maxLength != null) {
            b.maxSegmentLength(maxLength);
        }
        b.splitOnWord(splitOnWord);
        b.tokenTimestamps(wordTimestamps || tokenTimestamps);
        if (wordThreshold != null) {
            b.tokenTimestampThreshold(wordThreshold);
        }
        if (prompt != null) {
            b.initialPrompt(prompt);
        }
        if (offsetMs != null) {
            b.offsetMs(offsetMs);
        }
        if (durationMs != null) {
            b.durationMs(durationMs);
        }
        if (audioContext != null) {
            b.audioContext(audioContext);
        }
        b.suppressNonSpeechTokens(suppressNonSpeech);
        b.noTimestamps(noTimestamps);
        if (timeoutSeconds != null) {
            b.timeout(Duration.ofSeconds(timeoutSeconds));
        }
        if (maxTokens != null) {
            b.maxTokensPerSegment(maxTokens);
        }
        if (fitWindow) {
            b.encoderWindow(EncoderWindow.FIT_AUDIO);
        }
        return b.vad(vad).build();
    }
}
