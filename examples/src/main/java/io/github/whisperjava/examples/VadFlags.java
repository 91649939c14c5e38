package io.github.whisperjava.examples;

import io.github.whisperjava.VadOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * whisper-cli's voice activity detection flags. Unlike whisper-cli, where they do nothing without
 * {@code --vad}, any of them turns VAD on: asking for a VAD model or threshold and getting none is
 * a silent surprise.
 */
final class VadFlags {
    @Option(names = "--vad", description = "transcribe only the speech Silero VAD finds (times stay the file's; "
            + "model: WHISPER_VAD_MODEL, else silero-v6.2.0, fetched once)")
    boolean vad;

    @Option(names = {"-vm", "--vad-model"}, paramLabel = "PATH", description = "Silero VAD model file (implies --vad)")
    Path model;

    @Option(names = {"-vt", "--vad-threshold"}, paramLabel = "P",
            description = "speech probability threshold, 0..1 (default 0.5; implies --vad)")
    Float threshold;

    @Option(names = {"-vspd", "--vad-min-speech-duration-ms"}, paramLabel = "MS",
            description = "shorter speech is dropped (default 250; implies --vad)")
    Integer minSpeechMs;

    @Option(names = {"-vsd", "--vad-min-silence-duration-ms"}, paramLabel = "MS",
            description = "shorter silence does not end speech (default 100; implies --vad)")
    Integer minSilenceMs;

    @Option(names = {"-vmsd", "--vad-max-speech-duration-s"}, paramLabel = "S",
            description = "split longer speech, in whole seconds (default 0: no limit; implies --vad)")
    Float maxSpeechSeconds;

    @Option(names = {"-vp", "--vad-speech-pad-ms"}, paramLabel = "MS",
            description = "audio kept around speech (default 30; implies --vad)")
    Integer speechPadMs;

    @Option(names = {"-vo", "--vad-samples-overlap"}, paramLabel = "S",
            description = "seconds of the following gap kept after speech (default 0.1; implies --vad)")
    Float samplesOverlapSeconds;

    /** The VAD options asked for, null for none; invalid values are an IllegalArgumentException. */
    VadOptions options() {
        boolean any = vad || model != null || threshold != null || minSpeechMs != null || minSilenceMs != null
                || maxSpeechSeconds != null || speechPadMs != null || samplesOverlapSeconds != null;
        if (!any) {
            return null;
        }
        VadOptions d = VadOptions.DEFAULTS;
        return new VadOptions(model, or(threshold, d.threshold()), or(minSpeechMs, d.minSpeechMs()),
                or(minSilenceMs, d.minSilenceMs()), or(maxSpeechSeconds, d.maxSpeechSeconds()),
                or(speechPadMs, d.speechPadMs()), or(samplesOverlapSeconds, d.samplesOverlapSeconds()));
    }

    private static <T> T or(T given, T fallback) {
        return given != null ? given : fallback;
    }
}
