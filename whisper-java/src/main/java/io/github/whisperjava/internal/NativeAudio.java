package io.github.whisperjava.internal;

/**
 * The shim's miniaudio decoder (cpp/whisper_jni_audio.c) for {@code io.github.whisperjava.audio}, which
 * cannot see {@link WhisperJni}. Bytes in, samples out: no pointer crosses.
 */
public final class NativeAudio {
    /** Containers the shim decodes; the codes of whisper_jni_audio.c. */
    public static final int MP3 = 1;
    public static final int FLAC = 2;
    public static final int OGG_VORBIS = 3;

    private NativeAudio() {}

    /**
     * {@code file}, the whole of an MP3, FLAC or Ogg Vorbis file, as 16 kHz mono samples, at most
     * {@code maxFrames} of them: decoding stops there.
     *
     * @throws io.github.whisperjava.AudioFormatException if miniaudio cannot open or decode it
     * @throws OutOfMemoryError if native memory runs out
     */
    public static float[] decode16kMono(byte[] file, int container, int maxFrames) {
        NativeLoader.load();
        return WhisperJni.decodeAudio(file, container, maxFrames);
    }
}
