package io.github.whisperjava.internal;

import io.github.whisperjava.ModelInfo;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.SamplingStrategy;
import io.github.whisperjava.TranscribeParams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Conversions between the public API's types and the shim's arguments; no native state of its own. */
public final class Natives {
    private Natives() {}

    public static long initContext(Path path, ModelOptions options) {
        byte[] name;
        try {
            name = fileSystemBytes(path);
        } catch (io.github.whisperjava.WhisperException e) {
            throw new io.github.whisperjava.ModelLoadException(path, e.getMessage());
        }
        NativeLog.applyThreshold();
        return WhisperJni.initContext(name, options.useGpu(), options.flashAttention(), options.gpuDevice());
    }

    /**
     * The bytes the kernel knows {@code path} by: the JDK encodes file names with {@code sun.jnu.encoding}
     * (the locale's), not UTF-8, so under a Latin-1 locale "modèle" is 6 bytes on disk and UTF-8 would
     * name a file that does not exist.
     */
    static byte[] fileSystemBytes(Path path) {
        String name = path.toString();
        java.nio.charset.Charset cs;
        try {
            cs = java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            cs = java.nio.charset.Charset.defaultCharset();
        }
        try {
            java.nio.ByteBuffer b = cs.newEncoder().encode(java.nio.CharBuffer.wrap(name));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new io.github.whisperjava.WhisperException("the path " + name + " cannot be named in this JVM's "
                    + "file-system encoding " + cs + " (set a UTF-8 locale, e.g. LANG=C.UTF-8)");
        }
    }

    /** Frees a context that no {@link NativeModel} owns yet (a load that failed half-way). */
    public static void freeContext(long ctx) {
        WhisperJni.freeContext(ctx);
    }

    public static ModelInfo modelInfo(long ctx) {
        int[] v = WhisperJni.modelInfo(ctx);
        String type = NativeLoader.text(WhisperJni.modelTypeReadable(ctx));
        // order: see modelInfo in cpp/whisper_jni.c
        return new ModelInfo(type, v[12] != 0, v[0], v[4], v[8], v[9], v[10], v[1], v[5]);
    }

    /** Checks what only whisper.cpp knows (the language list) and flattens the params for the shim. */
    public static NativeFullParams fullParams(TranscribeParams p) {
        NativeFullParams n = new NativeFullParams();
        n.strategy = p.strategy() == SamplingStrategy.BEAM_SEARCH ? 1 : 0;
        n.nThreads = p.threads();
        n.nMaxTextCtx = 16384;
        n.offsetMs = p.offsetMs();
        n.durationMs = p.durationMs();
        n.translate = p.translate();
        n.noContext = p.noContext();
        n.noTimestamps = p.noTimestamps();
        n.singleSegment = p.singleSegment();
        n.tokenTimestamps = p.tokenTimestamps();
        n.maxTokens = p.maxTokensPerSegment();
        n.audioCtx = p.audioContext();
        String lang = p.language();
        if (!lang.equals("auto")) {
            byte[] code = lang.getBytes(StandardCharsets.UTF_8);
            if (WhisperJni.langId(code) < 0) {
                throw new IllegalArgumentException("unknown language code \"" + lang
                        + "\": use a whisper language code such as \"en\", \"de\", \"zh\", or \"auto\"");
            }
            n.language = code;
        }
        n.suppressBlank = true;
        n.suppressNst = p.suppressNonSpeechTokens();
        n.temperature = p.temperature();
        n.temperatureInc = p.temperatureIncrement();
        n.entropyThold = 2.4f;
        n.logprobThold = -1.0f;
        n.noSpeechThold = 0.6f;
        n.bestOf = p.bestOf();
        n.beamSize = p.beamSize();
        return n;
    }

    /** A System.nanoTime() deadline as the shim compares it (same clock: CLOCK_MONOTONIC); never 0. */
    public static long deadline(Duration timeout) {
        long d = System.nanoTime() + nanos(timeout);
        return d == 0 ? 1 : d;
    }

    /**
     * {@code d} in nanoseconds, saturated at about 146 years: a timeout of 365,000 days means "never",
     * not an ArithmeticException.
     */
    public static long nanos(Duration d) {
        return d.compareTo(Duration.ofNanos(Long.MAX_VALUE / 2)) >= 0 ? Long.MAX_VALUE / 2 : d.toNanos();
    }

    /** The model's vocabulary as whisper.cpp holds it, token id to bytes. */
    public static byte[][] vocabulary(long ctx, int size) {
        byte[][] v = new byte[size][];
        for (int id = 0; id < size; id++) {
            v[id] = WhisperJni.tokenText(ctx, id);
        }
        return v;
    }

    /** whisper.cpp's own tokenizer (for tests that compare {@link PromptTokenizer} with it). */
    static int[] whisperTokenize(long ctx, String text) {
        return WhisperJni.tokenize(ctx, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs whisper_full on {@code samples}: a float[], or a direct FloatBuffer in native byte order that
     * the shim reads in place (from index 0; {@code n} samples).
     */
    public static int full(NativeModel.Lease lease, Object samples, int n, NativeFullParams params,
            NativeListener listener, long deadline) {
        NativeLog.beginCall(lease.state());
        try {
            return samples instanceof float[] a
                    ? WhisperJni.full(lease.context(), lease.state(), a, n, params, listener, deadline)
                    : WhisperJni.fullDirect(lease.context(), lease.state(), (java.nio.FloatBuffer) samples, n, params,
                            listener, deadline);
        } finally {
            NativeLog.endCall();
        }
    }

    /** Asks the call running on this state to stop; safe from any thread while the state is alive. */
    public static void abort(long state) {
        WhisperJni.setAbort(state, true);
    }

    public static boolean aborted(NativeModel.Lease lease) {
        return WhisperJni.isAborted(lease.state());
    }

    public static synchronized String systemInfo() {
        // whisper_print_system_info writes a static buffer
        return NativeLoader.text(WhisperJni.systemInfo());
    }

    public static String version() {
        return NativeLoader.text(WhisperJni.version());
    }
}
