package io.github.whisperjava.internal;

/**
 * The JNI surface of cpp/whisper_jni.c, one static native per whisper.cpp call it wraps.
 *
 * <p>Handles are raw pointers: a {@code long} context is a {@code whisper_context*}, a {@code long}
 * state is the shim's {@code jw_state*}. Nothing here owns them; {@link NativeModel} does. Text
 * crosses as UTF-8 bytes because whisper.cpp may emit invalid UTF-8.
 */
public final class WhisperJni {
    private WhisperJni() {}

    /** Called by the shim for every whisper.cpp/ggml log fragment, from any thread. */
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

    static native long initContext(byte[] path, boolean useGpu, boolean flashAttn, int gpuDevice);

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
    static native int fullDirect(long ctx, long state, java.nio.FloatBuffer samples, int nSamples,
            NativeFullParams params, NativeListener listener, long deadlineNanos);

    static native int nSegments(long state);

    static native int langIdOfResult(long state);

    static native byte[] segmentText(long state, int segment);

    static native boolean segmentTimes(long state, int segment, long[] out);

    static native float segmentNoSpeechProb(long state, int segment);

    static native int nTokens(long state, int segment);

    static native void segmentTokens(long state, int segment, int[] ids, float[] probs, long[] t0, long[] t1);
}
