package io.github.whisperjava;

import io.github.whisperjava.audio.AudioDecoder;
import io.github.whisperjava.audio.WavReader;
import io.github.whisperjava.internal.LazyPromptTokenizer;
import io.github.whisperjava.internal.NativeFullParams;
import io.github.whisperjava.internal.NativeLoader;
import io.github.whisperjava.internal.NativeModel;
import io.github.whisperjava.internal.ResultReader;
import io.github.whisperjava.internal.SpeechDetector;
import io.github.whisperjava.models.ModelResolver;
import io.github.whisperjava.models.ModelSpec;
import io.github.whisperjava.models.ResolvedModel;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * A loaded whisper.cpp model: load it once, transcribe with it any number of times, close it.
 *
 * <pre>{@code
 * try (Whisper whisper = Whisper.load(Path.of("ggml-small-q5_1.bin"))) {
 *     Transcript t = whisper.transcribe(Path.of("meeting.wav"));
 *     System.out.println(t.text());
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> All methods are thread-safe. Concurrent {@code transcribe} calls share the
 * model's weights; each runs on its own {@code whisper_state}, leased from a pool of
 * {@link ModelOptions#concurrency()} states, so one more concurrent caller costs one state, not one
 * more model. Callers beyond the pool size wait for a free state.
 *
 * <p><b>Lifecycle.</b> {@link #close()} is idempotent. It makes new calls fail with
 * {@link IllegalStateException}, waits for running transcriptions to finish, then frees the model
 * exactly once; {@link #closeNow()} (or {@link #cancelAll()} first) makes them end early with a
 * {@link CancellationException}. Closing from inside a listener does not wait for its own call.
 *
 * <p><b>One call shape.</b> Every input ({@code float[]}, {@code FloatBuffer}, {@code Path},
 * {@code byte[]}, {@code InputStream}) takes {@link TranscribeParams} (what to compute, shared by calls)
 * and {@link CallOptions} (this call's listener, cancellation token and deadline).
 *
 * <p><b>Cancellation</b> (a {@link CancellationToken}, {@link TranscribeParams#timeout()}, a deadline, a
 * thread interrupt, {@link #cancelAll()}) takes effect at the next decoder step or encoder window: whisper.cpp
 * does not stop inside one encoder pass. The state is reusable afterwards.
 * A model that is never closed is freed by a {@link Cleaner} once unreachable, with a warning.
 */
public final class Whisper implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Whisper.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private final NativeModel model;
    private final Cleaner.Cleanable cleanable;
    private final Path modelPath;
    private final ModelInfo info;
    private final ResultReader results;
    private final String source;
    private final boolean dtw;
    private final CallAdmission admission;
    private final LazyPromptTokenizer prompts = new LazyPromptTokenizer();
    private final SpeechDetectors detectors;
    private final Set<LiveTranscription> liveSessions = new HashSet<>();

    private Whisper(NativeModel model, Path modelPath, String source, boolean dtw) {
        this.model = model;
        this.dtw = dtw;
        this.modelPath = modelPath;
        this.info = model.info();
        this.source = source;
        this.results = new ResultReader(info.vocabularySize(), info.endOfTextToken());
        this.cleanable = CLEANER.register(this, model);
        this.admission = new CallAdmission(model, this);
        this.detectors = new SpeechDetectors(modelPath.getFileName().toString());
    }

    /**
     * Loads the model the environment names ({@code WHISPER_MODEL_PATH}, or {@code WHISPER_MODEL_SIZE}
     * with {@code WHISPER_MODEL_QUANT}, default small q5_1), downloading and verifying it on first use.
     * See {@link ModelResolver}.
     */
    public static Whisper load() {
        return load(ModelResolver.fromEnvironment().resolve(), ModelOptions.defaults());
    }

    /** Loads a model by catalogue size or name (downloaded on first use), or a file. */
    public static Whisper load(ModelSpec spec) {
        return load(ModelResolver.fromEnvironment().resolve(Objects.requireNonNull(spec, "spec")),
                ModelOptions.defaults());
    }

    /** Loads a model that a {@link ModelResolver} chose. */
    public static Whisper load(ResolvedModel resolved, ModelOptions options) {
        return load(resolved.file(), options, resolved.reason());
    }

    /** Loads a whisper.cpp ggml model file with {@link ModelOptions#defaults()}. */
    public static Whisper load(Path modelFile) {
        return load(modelFile, ModelOptions.defaults());
    }

    /**
     * Loads a whisper.cpp ggml model file.
     *
     * @throws ModelLoadException if the file is missing, unreadable, truncated, not a whisper model, or changed
     *     while it was loading
     */
    public static Whisper load(Path modelFile, ModelOptions options) {
        return load(modelFile, options, "explicit file");
    }

    private static Whisper load(Path modelFile, ModelOptions options, String source) {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(options, "options");
        NativeLoader.load();
        Path path = modelFile.toAbsolutePath();
        NativeModel model = NativeModel.open(path, options); // checks the file, then loads what it checked
        try {
            return new Whisper(model, path, source, options.dtwTokenTimestamps());
        } catch (RuntimeException | Error e) {
            model.close(false); // nothing else owns it yet
            throw e;
        }
    }

    /** The model file this was loaded from. */
    public Path modelPath() {
        return modelPath;
    }

    /** How this model was chosen, e.g. {@code "WHISPER_MODEL_SIZE=small, q5_1, cached"} or {@code "explicit file"}. */
    public String source() {
        return source;
    }

    /** What whisper.cpp says the model is. */
    public ModelInfo info() {
        return info;
    }

    /** Transcribes 16 kHz mono samples in [-1, 1] with {@link TranscribeParams#DEFAULTS}. */
    public Transcript transcribe(float[] pcm16kMono) {
        return transcribe(pcm16kMono, TranscribeParams.DEFAULTS, CallOptions.none());
    }

    public Transcript transcribe(float[] pcm16kMono, TranscribeParams params) {
        return transcribe(pcm16kMono, params, CallOptions.none());
    }

    /**
     * Transcribes 16 kHz mono samples in [-1, 1], observed, cancellable and bounded as {@code options} say
     * (the same {@link CallOptions} every input type takes).
     *
     * @throws IllegalStateException if this model is closed
     * @throws AudioFormatException if there are no samples
     * @throws IllegalArgumentException for samples that are not finite, or an unknown language
     * @throws CancellationException if cancelled (the token, or {@link #cancelAll()}), past the deadline or
     *     {@link TranscribeParams#timeout()}, or the thread was interrupted (its interrupt flag stays set)
     * @throws ModelBusyException if no state became free within {@link TranscribeParams#queueTimeout()}
     */
    public Transcript transcribe(float[] pcm16kMono, TranscribeParams params, CallOptions options) {
        Objects.requireNonNull(pcm16kMono, "pcm16kMono");
        Objects.requireNonNull(options, "options");
        for (float s : pcm16kMono) {
            checkFinite(s);
        }
        return transcribeSamples(pcm16kMono, pcm16kMono.length, params, options);
    }

    /**
     * As {@link #transcribe(float[], TranscribeParams, CallOptions)}, for the samples from
     * {@code pcm16kMono}'s position to its limit. A direct buffer in native byte order (what
     * {@link WavReader#read16kMonoDirect} returns) is read in place, without the copy a float[] costs on
     * its way into native code; any other buffer is copied first.
     */
    public Transcript transcribe(FloatBuffer pcm16kMono, TranscribeParams params, CallOptions options) {
        Objects.requireNonNull(pcm16kMono, "pcm16kMono");
        Objects.requireNonNull(options, "options");
        FloatBuffer samples = pcm16kMono.slice(); // index 0 = its position; the caller's position stays
        if (!samples.isDirect() || samples.order() != ByteOrder.nativeOrder()) {
            float[] copy = new float[samples.remaining()];
            samples.get(0, copy);
            return transcribe(copy, params, options);
        }
        for (int i = 0; i < samples.limit(); i++) {
            checkFinite(samples.get(i));
        }
        return transcribeSamples(samples, samples.limit(), params, options);
    }

    private static void checkFinite(float s) {
        if (!Float.isFinite(s)) {
            throw new IllegalArgumentException("audio samples must be finite (found " + s + ")");
        }
    }

    /** {@link #detectLanguage(float[], TranscribeParams)} with the default params. */
    public LanguageDetection detectLanguage(float[] pcm16kMono) {
        return detectLanguage(pcm16kMono, TranscribeParams.DEFAULTS);
    }

    /**
     * Which language whisper hears in the first 30 seconds of the audio (after
     * {@link TranscribeParams#offsetMs()}): its probability for every language it knows, most probable
     * first. One encoder pass and one decoder step; the params give the threads, the encoder window
     * ({@link EncoderWindow#FIT_AUDIO} fits it to a shorter clip) and the queue timeout.
     *
     * @throws IllegalStateException if the model is English-only (it cannot tell languages apart) or closed
     */
    public LanguageDetection detectLanguage(float[] pcm16kMono, TranscribeParams params) {
        Objects.requireNonNull(pcm16kMono, "pcm16kMono");
        Objects.requireNonNull(params, "params");
        requireOpen();
        if (!info.multilingual()) {
            throw new IllegalStateException("model " + modelPath.getFileName()
                    + " is English-only: it cannot tell languages apart (use a multilingual model)");
        }
        for (float s : pcm16kMono) {
            checkFinite(s);
        }
        int window = Transcription.languageWindow(info, pcm16kMono.length, params);
        return admitted(params, (lease, threads) -> Transcription.languages(info, lease, pcm16kMono,
                pcm16kMono.length, params, threads, window));
    }

    /** {@code samples}: a float[] or a direct native-order FloatBuffer, already checked to be finite. */
    private Transcript transcribeSamples(Object samples, int n, TranscribeParams params, CallOptions options) {
        Objects.requireNonNull(params, "params");
        requireOpen();
        if (n == 0) {
            throw new AudioFormatException("audio is empty: no samples to transcribe");
        }
        if (options.cancellation() != null) {
            options.cancellation().claim(); // before queueing: a cancelled token never waits for a state
        }
        // before the CPU share and the state: resolving a VAD model may download it
        SpeechDetector detector = params.vad() == null ? null : detectors.forOptions(params.vad());
        Transcription call = new Transcription(info, results, dtw, prompts, samples, n, params, options, detector);
        return admitted(params, call::run);
    }

    /** The work, run once the call has a state and a CPU share; this model stays reachable until it returns. */
    private <T> T admitted(TranscribeParams params, CallAdmission.LeasedWork<T> work) {
        try {
            return admission.run(params, work);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Starts a live transcription: audio in as it arrives, utterances out as events to {@code listener}
     * (see {@link LiveTranscription}). The VAD model is resolved here (it may be downloaded), so a bad one
     * fails this call, not the stream.
     *
     * @throws IllegalStateException if this model is closed
     */
    public LiveTranscription live(LiveOptions options, LiveListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        requireOpen();
        SpeechDetector detector = options.vad() == null ? null : detectors.forOptions(options.vad());
        LiveTranscription[] made = new LiveTranscription[1];
        synchronized (liveSessions) {
            requireOpen();
            made[0] = new LiveTranscription(this, options, listener, detector, () -> {
                synchronized (liveSessions) {
                    liveSessions.remove(made[0]);
                }
            });
            liveSessions.add(made[0]);
        }
        return made[0];
    }

    /** Aborts the live sessions still open: their decodes would hold the states close waits for. */
    private void abortLiveSessions() {
        List<LiveTranscription> open;
        synchronized (liveSessions) {
            open = List.copyOf(liveSessions);
        }
        open.forEach(LiveTranscription::abort);
    }

    /**
     * The speech in 16 kHz mono samples, as Silero voice activity detection with whisper.cpp's default
     * parameters finds it ({@link VadOptions#DEFAULTS}; the model is resolved on first use).
     */
    public List<SpeechSpan> detectSpeech(float[] samples) {
        return detectSpeech(samples, VadOptions.DEFAULTS);
    }

    /** As {@link #detectSpeech(float[])}, with these options. */
    public List<SpeechSpan> detectSpeech(float[] samples, VadOptions options) {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(options, "options");
        for (float s : samples) {
            checkFinite(s);
        }
        requireOpen();
        if (samples.length == 0) {
            return List.of();
        }
        try {
            return detectors.forOptions(options).detect(samples, samples.length, options).spans();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Reads an audio file and transcribes it: WAV (any PCM or float format, rate and channel count), MP3,
     * FLAC or Ogg Vorbis, told apart by content, not by name (see {@link AudioDecoder}).
     */
    public Transcript transcribe(Path audioFile) {
        return transcribe(audioFile, TranscribeParams.DEFAULTS, CallOptions.none());
    }

    public Transcript transcribe(Path audioFile, TranscribeParams params) {
        return transcribe(audioFile, params, CallOptions.none());
    }

    /**
     * Reads an audio file and transcribes it, observed, cancellable and bounded as {@code options} say,
     * as {@link #transcribe(float[], TranscribeParams, CallOptions)} does for samples. A token cancelled or
     * a deadline passed before the call starts ends it before the file is read; while the file is decoded
     * neither is looked at (the decode is bounded by {@link TranscribeParams#maxAudioDuration()}).
     *
     * @throws AudioFormatException if the file is missing, empty, malformed or of an unsupported format
     *     (Ogg Opus, MP4/M4A, AAC, WebM, AIFF: the message says which, and how to convert it)
     * @throws AudioTooLongException if it holds more than {@link TranscribeParams#maxAudioDuration()}
     */
    public Transcript transcribe(Path audioFile, TranscribeParams params, CallOptions options) {
        requireOpen();
        refuseIfAlreadyStopped(options);
        // into a direct buffer: long audio is not copied once more on its way into whisper.cpp
        return transcribe(AudioDecoder.decode16kMonoDirect(audioFile, params.maxAudioDuration()), params, options);
    }

    /** The bytes of a whole audio file (WAV, MP3, FLAC or Ogg Vorbis: an upload, say), transcribed. */
    public Transcript transcribe(byte[] audio, TranscribeParams params) {
        return transcribe(audio, params, CallOptions.none());
    }

    /** As {@link #transcribe(Path, TranscribeParams, CallOptions)}, for the bytes of a whole audio file. */
    public Transcript transcribe(byte[] audio, TranscribeParams params, CallOptions options) {
        requireOpen();
        refuseIfAlreadyStopped(options);
        return transcribe(AudioDecoder.decode16kMono(audio, params.maxAudioDuration()), params, options);
    }

    /** An audio file (WAV, MP3, FLAC or Ogg Vorbis) read from a stream to its end (not closed), transcribed. */
    public Transcript transcribe(InputStream audio, TranscribeParams params) {
        return transcribe(audio, params, CallOptions.none());
    }

    /** As {@link #transcribe(Path, TranscribeParams, CallOptions)}, for an audio file read from a stream. */
    public Transcript transcribe(InputStream audio, TranscribeParams params, CallOptions options) {
        requireOpen();
        refuseIfAlreadyStopped(options);
        return transcribe(AudioDecoder.decode16kMono(audio, params.maxAudioDuration()), params, options);
    }

    /** A call that could only end cancelled does not decode its audio first. */
    private static void refuseIfAlreadyStopped(CallOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.cancellation() != null && options.cancellation().isCancelled()) {
            throw new CancellationException("transcription was cancelled before it started");
        }
        if (options.deadline() != null && !Instant.now().isBefore(options.deadline())) {
            throw new CancellationException("transcription passed its deadline " + options.deadline()
                    + " before it started");
        }
    }

    /** Fails before reading audio that a closed model could not transcribe anyway. */
    private void requireOpen() {
        if (model.isClosed()) {
            throw new IllegalStateException("whisper model " + modelPath.getFileName() + " is closed");
        }
    }

    /** Makes every running transcription on this model end with a {@link CancellationException}. */
    public void cancelAll() {
        model.cancelRunning();
    }

    public boolean isClosed() {
        return model.isClosed();
    }

    /** whisper_states allocated now, running or idle (see {@link ModelOptions#idleStateTimeout()}). */
    int liveStates() {
        return model.liveStates();
    }

    /** Calls that hold or are creating a state now: those {@link #cancelAll()} would reach (for tests). */
    int runningCalls() {
        return model.running();
    }

    /** Refuses new calls, waits for running ones, frees the model. Idempotent. */
    @Override
    public void close() {
        abortLiveSessions();
        model.close(false);
        detectors.close();
        cleanable.clean();
    }

    /**
     * Refuses new calls and waits at most {@code timeout} for running ones. If they are done by then the
     * model is freed and this returns true; otherwise they run on, the last one frees the model when it
     * returns, and this returns false. Idempotent; a call from inside a listener does not wait for itself.
     * (Not an overload of {@code close()}: that would make {@code whisper::close} ambiguous.)
     */
    public boolean closeWithin(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        abortLiveSessions();
        boolean freed = model.close(false, timeout);
        // calls that run on may still detect speech: their detectors stay open, and the Cleaner closes them
        if (freed) {
            detectors.close();
            cleanable.clean();
        }
        return freed;
    }

    /** Refuses new calls, cancels running ones, waits for them to end, frees the model. Idempotent. */
    public void closeNow() {
        abortLiveSessions();
        model.close(true);
        detectors.close();
        cleanable.clean();
    }

    /**
     * Whether whisper.cpp knows {@code code} as a language ({@code "en"}, {@code "de"}, {@code "auto"},
     * ...): what {@link TranscribeParams.Builder#language} would be refused for at the call, asked before
     * any audio is read (a service checks a request with it before it queues and decodes).
     */
    public static boolean isKnownLanguage(String code) {
        return NativeFullParams.isKnownLanguage(Objects.requireNonNull(code, "code"));
    }

    /** whisper.cpp's build and CPU feature summary (e.g. {@code AVX2 = 1 | ...}). */
    public static String systemInfo() {
        return NativeLoader.systemInfo();
    }

    /** The whisper.cpp version the natives were built from. */
    public static String whisperCppVersion() {
        return NativeLoader.version();
    }

    @Override
    public String toString() {
        return "Whisper{" + modelPath.getFileName() + ", " + info.type() + (isClosed() ? ", closed}" : "}");
    }
}
