package io.github.whisperjava.internal;

import io.github.whisperjava.ModelLoadException;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.WhisperException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Owns the {@code whisper_vad_context}s of one Silero VAD model file (loaded from a copy of the bytes
 * {@link SileroModelFile} checked, see {@link CheckedVadCopy}). A context is mutable (its
 * probabilities and compute graph), so each detection takes one of its own: made on first need, kept
 * for the next call, never shared by two at once. {@link #close()} frees the idle ones at once and the
 * others when their call returns; it is also the {@link java.lang.ref.Cleaner} action of the owning
 * {@code Whisper}, so it must not refer back to it.
 */
public final class SpeechDetector implements Runnable, AutoCloseable {
    /** Idle contexts kept for later calls; more concurrent callers than this get contexts freed on return. */
    private static final int MAX_IDLE = Runtime.getRuntime().availableProcessors();

    private final Path model;
    /** What whisper.cpp loads each new context from: the checked bytes, whatever the path holds now. */
    private final CheckedVadCopy checkedCopy;
    private final ArrayDeque<Long> idle = new ArrayDeque<>();
    private boolean closed;

    /**
     * Checks the file (whisper.cpp's VAD loader trusts every field of it) and loads one context, so that
     * a bad file fails here, not in the first transcription.
     *
     * @param cacheDir the model cache folder, where the checked copy is kept
     * @throws ModelLoadException if the file is missing or not a Silero VAD model whisper.cpp can run
     */
    public SpeechDetector(Path model, Path cacheDir) {
        this.model = model.toAbsolutePath();
        checkedCopy = new CheckedVadCopy(SileroModelFile.read(this.model), cacheDir);
        NativeLoader.load();
        try {
            idle.push(newContext());
        } catch (RuntimeException | Error e) {
            checkedCopy.close();
            throw e;
        }
    }

    public Path model() {
        return model;
    }

    /**
     * The speech in {@code samples} (a float[], or a direct native-order FloatBuffer read from index 0),
     * as a map from speech-only audio back to it.
     */
    public SpeechMap detect(Object samples, int n, VadOptions options) {
        long vctx = take();
        try {
            float[] params = {options.threshold(), options.minSpeechMs(), options.minSilenceMs(),
                options.maxSpeechSeconds() == 0 ? Float.MAX_VALUE : options.maxSpeechSeconds(),
                options.speechPadMs(), options.samplesOverlapSeconds()};
            float[] segments;
            ShutdownGuard.detectionStarted();
            try {
                segments = samples instanceof float[] a
                        ? WhisperJni.vadSegments(vctx, a, null, n, params)
                        : WhisperJni.vadSegments(vctx, null, (FloatBuffer) samples, n, params);
            } finally {
                ShutdownGuard.detectionEnded();
            }
            return SpeechMap.of(segments, n, options.samplesOverlapSeconds());
        } finally {
            giveBack(vctx);
        }
    }

    /** Samples per probability: Silero's window at 16 kHz. */
    public static final int WINDOW = 512;

    /**
     * A context of its own for one live stream, its LSTM state carried from one piece of audio to the
     * next, until {@link SpeechStream#close()} gives it back.
     */
    public SpeechStream stream() {
        return new SpeechStream(take());
    }

    /** Speech probabilities of a stream fed as it arrives; one thread at a time. */
    public final class SpeechStream implements AutoCloseable {
        private long vctx;
        private boolean fresh = true;

        private SpeechStream(long vctx) {
            this.vctx = vctx;
        }

        /** One probability per {@link #WINDOW} samples of {@code samples[0, n)}; n a multiple of it. */
        public float[] probabilities(float[] samples, int n) {
            if (vctx == 0) {
                throw new IllegalStateException("this speech stream is closed");
            }
            if (n % WINDOW != 0 || n < 0 || n > samples.length) {
                throw new IllegalArgumentException(n + " samples: not whole windows of " + WINDOW);
            }
            if (n == 0) {
                return new float[0];
            }
            ShutdownGuard.detectionStarted();
            try {
                float[] probs = WhisperJni.vadProbs(vctx, samples, n, fresh);
                fresh = false;
                return probs;
            } finally {
                ShutdownGuard.detectionEnded();
            }
        }

        /** Forgets what was heard: the next audio is judged as the start of a stream. */
        public void reset() {
            fresh = true;
        }

        @Override
        public void close() {
            if (vctx != 0) {
                giveBack(vctx);
                vctx = 0;
            }
        }
    }

    /** A context for one caller's exclusive use: an idle one, or a new one. */
    private long take() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the VAD model " + model.getFileName() + " is closed");
            }
            Long reused = idle.poll();
            if (reused != null) {
                return reused;
            }
        }
        return newContext();
    }

    /** Keeps the context for the next caller, or frees it when closed or enough are idle. */
    private synchronized void giveBack(long vctx) {
        if (closed || idle.size() >= MAX_IDLE) {
            WhisperJni.vadFree(vctx);
        } else {
            idle.push(vctx);
        }
    }

    /** A new context, loaded from the checked copy (made again first if it went missing). */
    long newContext() {
        byte[] nativeName;
        try {
            nativeName = WhisperJni.fileSystemBytes(checkedCopy.file());
        } catch (IOException e) {
            throw new ModelLoadException(model, "cannot keep a checked copy of it: " + e);
        } catch (WhisperException e) {
            throw new ModelLoadException(model, e.getMessage(), e);
        }
        NativeLog.applyThreshold();
        try {
            // one thread: a 32 ms window of a small LSTM is less work than waking a second thread for it
            return WhisperJni.vadInit(nativeName, 1);
        } catch (ModelLoadException e) {
            throw e;
        } catch (WhisperException e) {
            throw new ModelLoadException(model, e.getMessage(), e);
        }
    }

    /** The checked copy new contexts load, made again if it is gone (for tests). */
    Path checkedCopy() throws IOException {
        return checkedCopy.file();
    }

    /** Frees idle contexts now and busy ones when their call returns. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!idle.isEmpty()) {
            WhisperJni.vadFree(idle.pop());
        }
        checkedCopy.close(); // busy contexts were loaded from it already; none is made after close
    }

    @Override
    public void run() {
        close();
    }
}
