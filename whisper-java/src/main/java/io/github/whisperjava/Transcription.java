package io.github.whisperjava;

import io.github.whisperjava.audio.WavReader;
import io.github.whisperjava.internal.AudioEndClamp;
import io.github.whisperjava.internal.FittedWindow;
import io.github.whisperjava.internal.LanguageRanking;
import io.github.whisperjava.internal.LazyPromptTokenizer;
import io.github.whisperjava.internal.NativeFullParams;
import io.github.whisperjava.internal.NativeListener;
import io.github.whisperjava.internal.NativeModel;
import io.github.whisperjava.internal.ResultReader;
import io.github.whisperjava.internal.SpeechDetector;
import io.github.whisperjava.internal.SpeechMap;
import io.github.whisperjava.internal.Timeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transcription, run while it holds a whisper_state and a CPU share: voice activity detection,
 * language detection, the fitted encoder window and its fall-back to the full window, and the mapping of
 * segment times back onto the caller's audio. {@link Whisper} checks the input, takes the state
 * ({@link CallAdmission}) and hands it here; the call's params and options are fields, so they flow down
 * through the steps instead of travelling as arguments.
 *
 * <p>It lives beside the public API, not in {@code internal}, because it drives the
 * {@link CancellationToken}'s package-private hooks, which would otherwise have to be public.
 */
final class Transcription {
    private static final Logger LOG = LoggerFactory.getLogger(Transcription.class);

    private final ModelInfo info;
    private final ResultReader results;
    private final boolean dtw;
    private final LazyPromptTokenizer prompts;
    private final Object samples; // a float[] or a direct native-order FloatBuffer, checked to be finite
    private final int n;
    private final TranscribeParams params;
    private final CallOptions options;
    private final CancellationToken cancellation;
    private final SpeechDetector detector; // null without VAD
    private final NativeFullParams nativeParams;
    private Deadline deadline; // from when the state is taken: the timeout counts from there

    Transcription(ModelInfo info, ResultReader results, boolean dtw, LazyPromptTokenizer prompts, Object samples,
            int n, TranscribeParams params, CallOptions options, SpeechDetector detector) {
        this.info = info;
        this.results = results;
        this.dtw = dtw;
        this.prompts = prompts;
        this.samples = samples;
        this.n = n;
        this.params = params;
        this.options = options;
        this.cancellation = options.cancellation();
        this.detector = detector;
        this.nativeParams = NativeFullParams.of(params);
    }

    /** The whole call on the state and {@code threads} it was given. */
    Transcript run(NativeModel.Lease lease, int threads) {
        nativeParams.threads(threads);
        if (params.initialPrompt() != null && !params.initialPrompt().isEmpty()) {
            nativeParams.promptTokens(prompts.get(lease).lastTokens(params.initialPrompt(), info.textContext() / 2));
        }
        deadline = Deadline.of(params, options);
        long durationMs = n * 1000L / WavReader.SAMPLE_RATE;
        if (params.vad() == null) {
            // segment times count from the start of the audio, offset included
            long endMs = Math.min(durationMs, params.offsetMs() + audibleMs(n));
            UnaryOperator<Segment> seen = s -> AudioEndClamp.clamp(s, endMs);
            Transcript t = withWindow(lease, samples, n, seen);
            return new Transcript(t.segments().stream().map(seen).toList(), t.language(), t.audioDurationMs(),
                    t.encoderPositions(), t.windowFallback(), t.timings(), t.languageProbability());
        }
        long vadStart = System.nanoTime();
        SpeechMap speech = speechIn(lease);
        double vadMs = (System.nanoTime() - vadStart) / 1e6;
        if (speech.isEmpty()) {
            LOG.debug("no speech in {} ms of audio; nothing to transcribe", durationMs);
            return new Transcript(List.of(), params.language().equals("auto") ? "" : params.language(),
                    durationMs, 0, "", PhaseTimings.NONE.withVad(vadMs), Float.NaN);
        }
        // mapping back can land past the end too: whisper.cpp makes a mapped segment at least 100 ms long
        UnaryOperator<Segment> seen = s -> AudioEndClamp.clamp(speech.remap(s), durationMs);
        Transcript t = withWindow(lease, speech.speech(samples), speech.length(), seen);
        return new Transcript(t.segments().stream().map(seen).toList(), t.language(), durationMs,
                t.encoderPositions(), t.windowFallback(), t.timings().withVad(vadMs), t.languageProbability());
    }

    /**
     * The encoder positions a language detection of {@code n} samples runs with: the params' audio context,
     * else the window fitted to the (at most 30 s of) audio after the offset, else the model's whole one.
     *
     * @throws AudioFormatException if nothing is left after the offset
     */
    static int languageWindow(ModelInfo info, int n, TranscribeParams params) {
        int offset = (int) Math.min(n, params.offsetMs() * (long) WavReader.SAMPLE_RATE / 1000);
        if (n - offset <= 0) {
            throw new AudioFormatException("audio is empty: no samples to detect a language in");
        }
        long ms = Math.min(30_000, (n - offset) * 1000L / WavReader.SAMPLE_RATE);
        int positions = params.audioContext() > 0 ? params.audioContext()
                : params.encoderWindow() == EncoderWindow.FIT_AUDIO
                        ? FittedWindow.positions(ms * WavReader.SAMPLE_RATE / 1000, info.audioContext()) : 0;
        return positions == 0 ? info.audioContext() : positions;
    }

    /**
     * Which language whisper hears from {@code params.offsetMs()} on, on a state already taken: one
     * encoder pass over {@code positions} and one decoder step.
     */
    static LanguageDetection languages(ModelInfo info, NativeModel.Lease lease, Object samples, int n,
            TranscribeParams params, int threads, int positions) {
        if (!info.multilingual()) {
            return new LanguageDetection(List.of(new LanguageProbability("en", 1f)));
        }
        int offset = (int) Math.min(n, params.offsetMs() * (long) WavReader.SAMPLE_RATE / 1000);
        return LanguageRanking.of(lease.languageProbabilities(samples, offset, n, threads, positions));
    }

    /**
     * Runs voice activity detection while the call holds its state, so that {@link Whisper#cancelAll()},
     * the token, an interrupt and the timeout reach it as they reach a transcription (after detection: it
     * cannot be stopped inside, and takes a few ms per second of audio).
     */
    private SpeechMap speechIn(NativeModel.Lease lease) {
        if (cancellation != null) {
            cancellation.bind(lease);
        }
        SpeechMap speech;
        try {
            stopIfAsked(lease); // a call cancelled while it waited need not detect first
            speech = detector.detect(samples, n, params.vad());
        } finally {
            if (cancellation != null) {
                cancellation.unbind();
            }
        }
        stopIfAsked(lease);
        return speech;
    }

    private void stopIfAsked(NativeModel.Lease lease) {
        boolean interrupted = Thread.currentThread().isInterrupted();
        if (interrupted || deadline.passed() || lease.aborted()) {
            throw stopped(interrupted);
        }
    }

    /** Why a call stopped, in the order that names the cause: an interrupt, the timeout, else a cancel. */
    private CancellationException stopped(boolean interrupted) {
        return new CancellationException(interrupted ? "transcription interrupted"
                : deadline.passed() ? deadline.reason() : "transcription was cancelled");
    }

    /**
     * When a call must stop, as a System.nanoTime() value the shim reads (0: never), and how to say why:
     * the params' timeout, counted from when the call got its state, or the call's own deadline, whichever
     * comes first.
     */
    private record Deadline(long nanos, String reason) {
        static Deadline of(TranscribeParams params, CallOptions options) {
            long timeout = params.timeout() == null ? 0 : Timeouts.deadline(params.timeout());
            if (options.deadline() == null) {
                return new Deadline(timeout, "transcription timed out after " + params.timeout());
            }
            long own = Timeouts.deadline(Duration.between(Instant.now(), options.deadline()));
            return timeout != 0 && timeout - own < 0
                    ? new Deadline(timeout, "transcription timed out after " + params.timeout())
                    : new Deadline(own, "transcription passed its deadline " + options.deadline());
        }

        boolean passed() {
            return nanos != 0 && System.nanoTime() - nanos >= 0;
        }
    }

    /**
     * One run with the window the params ask for; with {@link EncoderWindow#FIT_AUDIO}, a fitted run
     * whose result is checked, and a full-window run in its place when the check fails. The listener
     * sees the segments of the result returned only (those of a fitted run are held until it passes).
     */
    private Transcript withWindow(NativeModel.Lease lease, Object audio, int length, UnaryOperator<Segment> remap) {
        long audioMs = audibleMs(length);
        if (dtw && params.audioContext() > 0 && params.audioContext() < dtwPositions(audioMs)) {
            // whisper.cpp's DTW asserts that a window's frames fit twice its positions, and aborts the process
            throw new IllegalArgumentException("audioContext(" + params.audioContext() + ") covers "
                    + params.audioContext() * 20 + " ms, less than the " + Math.min(30_000, audioMs)
                    + " ms of audio a window holds here; with DTW token timestamps it must cover that (at least "
                    + dtwPositions(audioMs) + "), or be 0 for the model's whole window");
        }
        int fitted = params.audioContext() == 0 && params.encoderWindow() == EncoderWindow.FIT_AUDIO
                ? FittedWindow.positions(audioMs * WavReader.SAMPLE_RATE / 1000, info.audioContext()) : 0;
        if (fitted == 0) {
            int positions = params.audioContext() > 0 ? params.audioContext() : info.audioContext();
            return decode(lease, audio, length, options.listener(), positions, "", remap);
        }
        nativeParams.audioContext(fitted);
        HeldSegments held = new HeldSegments(options.listener());
        Transcript t = decode(lease, audio, length, held, fitted, "", remap);
        Optional<String> why = FittedWindow.degenerate(t.segments(), params.offsetMs(), audioMs, info.textContext());
        if (why.isEmpty()) {
            held.deliver();
            return t;
        }
        LOG.info("fitted encoder window ({} of {} positions for {} ms of audio) gave degenerate output: {}; "
                + "transcribing again with the full window", fitted, info.audioContext(), audioMs, why.get());
        nativeParams.audioContext(0);
        Transcript full = decode(lease, audio, length, options.listener(), info.audioContext(), why.get(), remap);
        return new Transcript(full.segments(), full.language(), full.audioDurationMs(), full.encoderPositions(),
                full.windowFallback(), t.timings().plus(full.timings()), // the discarded run was paid for too
                full.languageProbability());
    }

    /** Encoder positions whose mel frames (two each, 10 ms a frame) hold a window of this much audio. */
    private int dtwPositions(long audioMs) {
        return (int) Math.min(info.audioContext(), (Math.min(30_000, audioMs) + 19) / 20);
    }

    /** The milliseconds of audio whisper.cpp will look at, after offsetMs and durationMs. */
    private long audibleMs(int length) {
        long ms = Math.max(0, length * 1000L / WavReader.SAMPLE_RATE - params.offsetMs());
        return params.durationMs() > 0 ? Math.min(ms, params.durationMs()) : ms;
    }

    /** Passes progress on and keeps segments until {@link #deliver()}: a fitted run may be thrown away. */
    private static final class HeldSegments implements TranscriptionListener {
        private final TranscriptionListener target;
        private final List<Segment> segments = new ArrayList<>();

        HeldSegments(TranscriptionListener target) {
            this.target = target;
        }

        @Override
        public void onProgress(int percent) {
            if (target != null) {
                target.onProgress(percent);
            }
        }

        @Override
        public void onSegment(Segment segment) {
            segments.add(segment);
        }

        void deliver() {
            if (target != null) {
                segments.forEach(target::onSegment);
            }
        }
    }

    /** One whisper_full over {@code audio} with {@code positions} encoder positions, language detected first. */
    private Transcript decode(NativeModel.Lease lease, Object audio, int length, TranscriptionListener listener,
            int positions, String windowFallback, UnaryOperator<Segment> remap) {
        if (cancellation != null) {
            cancellation.bind(lease);
        }
        try {
            NativeListener callbacks = new NativeListener(listener, results, lease, remap);
            int rc;
            long[] before = lease.phaseMicros();
            float languageProbability = Float.NaN;
            if (nativeParams.detectsLanguage()) {
                if (info.multilingual()) {
                    LanguageDetection detected = languages(info, lease, audio, length, params, nativeParams.threads(),
                            positions);
                    nativeParams.language(detected.language());
                    languageProbability = detected.probability();
                } else {
                    nativeParams.language("en"); // an English-only model has nothing to detect
                }
            }
            try {
                rc = lease.full(audio, length, nativeParams, callbacks, deadline.nanos());
            } catch (WhisperException e) {
                lease.discard(); // a C++ exception left whisper.cpp mid-call: the state may be inconsistent
                throw e;
            }
            if (lease.aborted()) {
                throw stopped(callbacks.interrupted());
            }
            if (rc != 0) {
                lease.discard();
                throw new WhisperException("whisper.cpp failed to transcribe (whisper_full error " + rc + ")");
            }
            callbacks.deliverRest();
            int segments = results.segmentCount(lease);
            long[] after = lease.phaseMicros();
            PhaseTimings timings = new PhaseTimings(0, (after[0] - before[0]) / 1e3, (after[2] - before[2]) / 1e3,
                    (after[3] - before[3]) / 1e3, (after[4] - before[4]) / 1e3, (after[5] - before[5]) / 1e3,
                    (after[1] - before[1]) / 1e3, (int) (after[6] - before[6]));
            return new Transcript(results.segments(lease, 0, segments), results.language(lease),
                    length * 1000L / WavReader.SAMPLE_RATE, positions, windowFallback, timings, languageProbability);
        } finally {
            if (params.language().equals("auto")) {
                nativeParams.language(null); // a full-window run after a fitted one detects again, with its window
            }
            if (cancellation != null) {
                cancellation.unbind();
            }
        }
    }
}
