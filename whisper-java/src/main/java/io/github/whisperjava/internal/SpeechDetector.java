package io.github.whisperjava.internal;

import io.github.whisperjava.ModelLoadException;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.WhisperException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Owns the {@code whisper_vad_context}s of one Silero VAD model file. A context is mutable (its
 * probabilities and compute graph), so each detection takes one of its own: made on first need, kept
 * for the next call, never shared by two at once. {@link #close()} frees the idle ones at once and the
 * others when their call returns; it is also the {@link java.lang.ref.Cleaner} action of the owning
 * {@code Whisper}, so it must not refer back to it.
 */
public final class SpeechDetector implements Runnable, AutoCloseable {
    private final Path model;
    private final byte[] nativeName;
    private final ArrayDeque<Long> idle = new ArrayDeque<>();
    private boolean closed;

    /**
     * Checks the file (whisper.cpp's VAD loader trusts every field of it) and loads one context, so that
     * a bad file fails here, not in the first transcription.
     *
     * @throws ModelLoadException if the file is missing or not a Silero VAD model whisper.cpp can run
     */
    public SpeechDetector(Path model) {
        this.model = model.toAbsolutePath();
        SileroModelFile.check(this.model);
        NativeLoader.load();
        byte[] name;
        try {
            name = WhisperJni.fileSystemBytes(this.model);
        } catch (WhisperException e) {
            throw new ModelLoadException(this.model, e.getMessage());
        }
        this.nativeName = name;
        idle.push(newContext());
    }

    public Path model() {
        return model;
    }

    /**
     * The speech in {@code samples} (a float[], or a direct native-order FloatBuffer read from index 0),
     * as a map from speech-only audio back to it.
     */
    public SpeechMap detect(Object samples, int n, VadOptions options) {
        long vctx;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the VAD model " + model.getFileName() + " is closed");
            }
            Long reused = idle.poll();
            vctx = reused == null ? 0 : reused;
        }
        try {
            if (vctx == 0) {
                vctx = newContext();
            }
            float[] params = {options.threshold(), options.minSpeechMs(), options.minSilenceMs(),
                options.maxSpeechSeconds() == 0 ? Float.MAX_VALUE : options.maxSpeechSeconds(),
                options.speechPadMs(), options.samplesOverlapSeconds()};
            float[] segments = samples instanceof float[] a
                    ? WhisperJni.vadSegments(vctx, a, null, n, params)
                    : WhisperJni.vadSegments(vctx, null, (FloatBuffer) samples, n, params);
            return SpeechMap.of(segments, n, options.samplesOverlapSeconds());
        } finally {
            synchronized (this) {
                if (vctx != 0) {
                    if (closed) {
                        WhisperJni.vadFree(vctx);
                    } else {
                        idle.push(vctx);
                    }
                }
            }
        }
    }

    private long newContext() {
        NativeLog.applyThreshold();
        // one thread: a 32 ms window of a small LSTM is less work than waking a second thread for it
        return WhisperJni.vadInit(nativeName, 1);
    }

    /** Frees idle contexts now and busy ones when their call returns. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        while (!idle.isEmpty()) {
            WhisperJni.vadFree(idle.pop());
        }
    }

    @Override
    public void run() {
        close();
    }
}
