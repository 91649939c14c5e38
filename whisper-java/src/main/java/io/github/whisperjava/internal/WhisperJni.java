package io.github.whisperjava.internal;

import io.github.whisperjava.ModelInfo;
import io.github.whisperjava.ModelLoadException;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.WhisperException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The one JNI layer over cpp/whisper_jni.c: every native method of the library, and the conversions
 * between Java values and the shim's arguments.
 *
 * <p><b>The rule.</b> A raw pointer never leaves this package. A {@code long} context is a
 * {@code whisper_context*} and a {@code long} state the shim's {@code jw_state*}; a stale one passed to
 * any method here crashes the JVM. So this class and its methods are package-private, the package is not
 * exported by the module and is sealed in the jar, and only {@link NativeModel} (which owns every
 * context and state) and the code that runs while it has a state leased out ({@link NativeModel.Lease},
 * {@link ResultReader}, {@link NativeListener}, {@link NativeLog}) call them. Public classes of this
 * package take and return only objects: a {@link NativeModel} or a {@link NativeModel.Lease}, which check
 * that what they stand for is still alive. {@code NativeSurfaceTest} keeps this true.
 *
 * <p>Text crosses as bytes: UTF-8 from whisper.cpp, which may be invalid, and file names in the file
 * system's encoding.
 */
final class WhisperJni {
    private WhisperJni() {}

    /** Called by the shim for every whole whisper.cpp/ggml log line, from any thread. */
    @SuppressWarnings("unused")
    private static void onLog(int level, byte[] text) {
        NativeLog.accept(level, text);
    }

    /** Lines below this ggml_log_level are dropped in C, before any upcall. */
    static native void setLogLevel(int minLevel);

    static native int loadBackends(byte[] dir);

    static native byte[] backendDeviceDescription(int index);

    static native byte[] systemInfo();

    static native byte[] version();

    static native int langId(byte[] code);

    static native byte[] langStr(int id);

    static native byte[] langStrFull(int id);

    /**
     * {@code checked}, {@code tensorData}: the model file as GgmlModelHeader.Checked holds it; {@code dtwPreset}:
     * a whisper_alignment_heads_preset, 0 (WHISPER_AHEADS_NONE) for no DTW timestamps.
     */
    static native long initContext(byte[] path, byte[] checked, long[] tensorData, boolean useGpu, boolean flashAttn,
            int gpuDevice, int dtwPreset);

    static native void freeContext(long ctx);

    static native byte[] modelTypeReadable(long ctx);

    static native int[] modelInfo(long ctx);

    static native byte[] tokenText(long ctx, int token);

    /** whisper_tokenize; used by tests only (its regex recurses per character: see PromptTokenizer). */
    static native int[] tokenize(long ctx, byte[] text);

    static native long initState(long ctx);

    static native void freeState(long state);

    static native void setAbort(long state, boolean abort);

    static native boolean isAborted(long state);

    static native int full(long ctx, long state, float[] samples, int nSamples, NativeFullParams params,
            NativeListener listener, long deadlineNanos);

    /** As {@link #full}, reading the samples in place from a direct, native-order FloatBuffer. */
    static native int fullDirect(long ctx, long state, FloatBuffer samples, int nSamples, NativeFullParams params,
            NativeListener listener, long deadlineNanos);

    /**
     * Phase times the state accumulated, microseconds: mel, sample, encode, decode, batchd, prompt; then
     * the number of encoder runs.
     */
    static native void stateTimings(long state, long[] out);

    static native int nSegments(long state);

    static native int langIdOfResult(long state);

    static native byte[] segmentText(long state, int segment);

    static native boolean segmentTimes(long state, int segment, long[] out);

    static native float segmentNoSpeechProb(long state, int segment);

    static native int nTokens(long state, int segment);

    static native void segmentTokens(long state, int segment, int[] ids, float[] probs, long[] t0, long[] t1,
            long[] dtw);

    /**
     * whisper's probability for each language id over the first {@code nSamples} samples (give it 30 s at
     * most), computed in {@code state} with an encoder window of {@code audioCtx} positions (0: full).
     */
    static native float[] detectLanguage(long ctx, long state, float[] samples, int nSamples, int nThreads,
            int audioCtx);

    /** A Silero VAD context with {@code nThreads} threads; the caller owns it. */
    static native long vadInit(byte[] path, int nThreads);

    static native void vadFree(long vctx);

    /**
     * whisper_vad_segments_from_samples over {@code samples} or, if that is null, {@code direct}; params:
     * threshold, min speech ms, min silence ms, max speech s, pad ms, overlap s. Returns start and end of
     * each span in centiseconds.
     */
    static native float[] vadSegments(long vctx, float[] samples, FloatBuffer direct, int nSamples, float[] params);

    /**
     * Silero's speech probability for each 512-sample window of the first {@code nSamples} samples (a
     * multiple of 512), the LSTM state carried on from the last call on this context unless {@code reset}.
     */
    static native float[] vadProbs(long vctx, float[] samples, int nSamples, boolean reset);

    // ---- conversions ----

    /**
     * Checks a model file (GgmlModelHeader) and loads it; the caller owns the returned context. whisper.cpp
     * reads the bytes that were checked, and tensor data from the file (cpp/whisper_jni.c, initContext);
     * a file that changed meanwhile is refused, since its tensor data may belong to another version of it.
     */
    static long initContext(Path path, ModelOptions options) {
        byte[] name;
        try {
            name = fileSystemBytes(path);
        } catch (WhisperException e) {
            throw new ModelLoadException(path, e.getMessage());
        }
        GgmlModelHeader.Checked file = GgmlModelHeader.readForLoad(path);
        NativeLog.applyThreshold();
        int dtw = 0;
        if (options.dtwTokenTimestamps()) {
            try {
                dtw = DtwPreset.of(file.header());
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(path, e.getMessage());
            }
        }
        long ctx;
        try {
            // whisper.cpp turns flash attention off itself for DTW, with a warning: ask for what will happen
            ctx = initContext(name, file.checked(), file.tensorData(), options.useGpu(),
                    options.flashAttention() && dtw == 0, options.gpuDevice(), dtw);
        } catch (WhisperException e) {
            if (file.changedSince(path)) {
                throw new ModelLoadException(path, "the file changed while it was loading", e);
            }
            throw new ModelLoadException(path, "whisper.cpp rejected it (" + file.header().sizeName()
                    + "-sized header, " + e.getMessage() + ")", e);
        }
        if (file.changedSince(path)) {
            freeContext(ctx);
            throw new ModelLoadException(path, "the file changed while it was loading (its tensor data may be "
                    + "another version's); load it again");
        }
        return ctx;
    }

    /**
     * The bytes the kernel knows {@code path} by: the JDK encodes file names with {@code sun.jnu.encoding}
     * (the locale's), not UTF-8, so under a Latin-1 locale "modèle" is 6 bytes on disk and UTF-8 would
     * name a file that does not exist.
     */
    static byte[] fileSystemBytes(Path path) {
        String name = path.toString();
        Charset cs;
        try {
            cs = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            cs = Charset.defaultCharset();
        }
        try {
            ByteBuffer b = cs.newEncoder().encode(CharBuffer.wrap(name));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new WhisperException("the path " + name + " cannot be named in this JVM's "
                    + "file-system encoding " + cs + " (set a UTF-8 locale, e.g. LANG=C.UTF-8)");
        }
    }

    /**
     * The values of modelInfo's array, in the order cpp/whisper_jni.c writes them, named after the
     * whisper.cpp getters they come from: a field is read by its name, never by a bare index.
     */
    private enum ModelField {
        N_VOCAB, N_AUDIO_CTX, N_AUDIO_STATE, N_AUDIO_HEAD, N_AUDIO_LAYER, N_TEXT_CTX, N_TEXT_STATE, N_TEXT_HEAD,
        N_TEXT_LAYER, N_MELS, FTYPE, TYPE, MULTILINGUAL, TOKEN_EOT;

        int of(int[] values) {
            return values[ordinal()];
        }
    }

    static ModelInfo readModelInfo(long ctx) {
        int[] v = modelInfo(ctx);
        if (v == null || v.length != ModelField.values().length) {
            // a shim from another build would shift every field: refuse rather than misreport the model
            throw new WhisperException("the native library reports " + (v == null ? "no" : v.length)
                    + " model fields, this jar expects " + ModelField.values().length + ": mismatched natives");
        }
        String type = NativeLoader.text(modelTypeReadable(ctx));
        return new ModelInfo(type, ModelField.MULTILINGUAL.of(v) != 0, ModelField.N_VOCAB.of(v),
                ModelField.N_AUDIO_LAYER.of(v), ModelField.N_TEXT_LAYER.of(v), ModelField.N_MELS.of(v),
                ModelField.FTYPE.of(v), ModelField.N_AUDIO_CTX.of(v), ModelField.N_TEXT_CTX.of(v),
                ModelField.N_AUDIO_STATE.of(v), ModelField.N_AUDIO_HEAD.of(v), ModelField.N_TEXT_STATE.of(v),
                ModelField.N_TEXT_HEAD.of(v), ModelField.TOKEN_EOT.of(v));
    }

    /** The model's vocabulary as whisper.cpp holds it, token id to bytes. */
    static byte[][] vocabulary(long ctx, int size) {
        byte[][] v = new byte[size][];
        for (int id = 0; id < size; id++) {
            v[id] = tokenText(ctx, id);
        }
        return v;
    }

    /** whisper.cpp's language id for a code such as "en"; negative when it knows none. */
    static int languageId(String code) {
        return langId(code.getBytes(StandardCharsets.UTF_8));
    }

    // ---- audio decoding (cpp/whisper_jni_audio.c)

    /**
     * MP3, FLAC or Ogg Vorbis (container: {@link NativeAudio}'s codes) decoded by miniaudio, as whisper-cli
     * decodes it, to at most {@code maxFrames} 16 kHz mono samples; AudioFormatException if it cannot.
     */
    static native float[] decodeAudio(byte[] data, int container, int maxFrames);
}
