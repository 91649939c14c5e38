package io.github.whisperjava.benchmarks;

import io.github.whisperjava.EncoderWindow;
import io.github.whisperjava.LiveOptions;
import io.github.whisperjava.SpeechSpan;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.audio.WavReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** What the live benchmarks stream: jfk.wav's speech, cut where the genuine Silero model finds it. */
final class LiveAudio {
    static final int RATE = WavReader.SAMPLE_RATE;
    static final VadOptions VAD = VadOptions.DEFAULTS.withModel(Workload.SILERO);
    /** The library's live defaults (fitted window) with the benchmarks' decoding parameters. */
    static final LiveOptions OPTIONS = LiveOptions.DEFAULTS.withVad(VAD)
            .withParams(Workload.PARAMS.toBuilder().encoderWindow(EncoderWindow.FIT_AUDIO).build());

    private LiveAudio() {}

    /** A model by size: the random-weights fixture (decodes text) or whisper.cpp's for-tests model (none). */
    static Path model(String size, String weights) throws IOException {
        return switch (weights) {
            case "fixture" -> Workload.model(size, "q5_1", "");
            case "forTests" -> Workload.SHARED.resolve("models/for-tests-ggml-" + size + ".bin");
            default -> throw new IllegalArgumentException("weights: fixture or forTests, got " + weights);
        };
    }

    static float[] jfk() {
        return WavReader.read16kMono(Workload.SHARED.resolve("audio/jfk.wav"));
    }

    /** jfk.wav up to the end of the first span of speech the VAD finds: one short utterance (about 2 s). */
    static float[] firstUtterance(Whisper w) {
        float[] jfk = jfk();
        List<SpeechSpan> spans = w.detectSpeech(jfk, VAD);
        return Arrays.copyOf(jfk, (int) (spans.get(0).endMs() * RATE / 1000));
    }

    /** 1 s of silence, jfk.wav's first half, 2 s of silence, its second half, 1 s of silence: about 15 s. */
    static float[] conversation() {
        float[] jfk = jfk();
        int half = jfk.length / 2;
        float[] out = new float[4 * RATE + jfk.length];
        System.arraycopy(jfk, 0, out, RATE, half);
        System.arraycopy(jfk, half, out, 3 * RATE + half, jfk.length - half);
        return out;
    }
}
