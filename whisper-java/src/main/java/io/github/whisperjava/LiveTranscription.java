package io.github.whisperjava;

import io.github.whisperjava.audio.Resampler;
import io.github.whisperjava.internal.SpeechDetector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live transcription: audio goes in as it arrives ({@code accept}, from any thread), utterances come
 * out as events to a {@link LiveListener}. Made by {@link Whisper#live(LiveOptions, LiveListener)}.
 *
 * <p>Silero VAD runs on the stream as it arrives and ends an utterance at a pause ({@link LiveOptions#vad()});
 * while one is spoken, it is decoded again every {@link LiveOptions#partialInterval()} of new speech with a
 * fitted encoder window, as partial text. Each ended utterance is transcribed once, as {@code transcribe}
 * would, for its final text. A session shares its model's whisper states and the process CPU budget with
 * every other call, first come first served: finals wait their turn; partials are skipped when no state
 * is free at once or the session is behind, so a busy model costs partials before it delays finals.
 *
 * <p>Close it ({@code close()} waits for the last final; {@link #abort()} does not). Closing the
 * {@link Whisper} aborts its sessions.
 */
public final class LiveTranscription implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LiveTranscription.class);
    private static final AtomicInteger SESSIONS = new AtomicInteger();
    /** Largest input slice resampled at once: the resampler's output array holds what it converts to. */
    private static final int SLICE = 4096;
    static final int RATE = 16_000;

    private final int sampleRate;
    private final long maxBufferedSamples;
    private final LiveOptions options;
    private final Resampler.Stream resampler;
    private final Object input = new Object();
    private final ArrayDeque<Object> queue = new ArrayDeque<>(); // float[] audio, or a Marker; guarded by input
    private final AtomicLong queuedSamples = new AtomicLong();
    private final LiveWorker worker;
    private final Thread thread;
    private int oddByte = -1;       // a pcm16 byte whose pair has not arrived; guarded by input
    private long accepted;          // 16 kHz samples accepted; guarded by input
    private boolean closing;        // guarded by input
    private volatile boolean aborted;

    enum Marker { COMMIT, CLEAR, END }

    LiveTranscription(Whisper whisper, LiveOptions options, LiveListener listener, SpeechDetector detector,
            Runnable onEnd) {
        this.options = options;
        this.sampleRate = options.sampleRate();
        this.maxBufferedSamples = options.maxBuffered().toMillis() * (RATE / 1000);
        this.resampler = sampleRate == RATE ? null
                : new Resampler.Stream(sampleRate, RATE, new float[(int) ((long) SLICE * RATE / sampleRate) + 1024]);
        this.worker = new LiveWorker(whisper, options, listener, detector == null ? null : detector.stream(), this);
        this.thread = new Thread(() -> {
            try {
                worker.run();
            } finally {
                onEnd.run();
            }
        }, "whisper-live-" + SESSIONS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /** Audio as floats in -1..1, mono at the options' sample rate. */
    public void accept(float[] samples) {
        accept(samples, 0, samples.length);
    }

    public void accept(float[] samples, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        for (int i = offset; i < offset + length; i++) {
            if (!Float.isFinite(samples[i])) {
                throw new IllegalArgumentException("sample " + i + " is " + samples[i] + ": audio must be finite");
            }
        }
        float[] copy = new float[length];
        System.arraycopy(samples, offset, copy, 0, length);
        take(copy);
    }

    /** 16-bit audio, mono at the options' sample rate. */
    public void accept(short[] samples) {
        accept(samples, 0, samples.length);
    }

    public void accept(short[] samples, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        float[] f = new float[length];
        for (int i = 0; i < length; i++) {
            f[i] = samples[offset + i] / 32768f;
        }
        take(f);
    }

    /**
     * 16-bit little-endian audio (what {@code arecord -f S16_LE} writes), mono at the options' sample rate;
     * a sample split between two calls is joined.
     */
    public void acceptPcm16(byte[] littleEndian, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, littleEndian.length);
        if (length == 0) {
            return;
        }
        synchronized (input) {
            int carried = oddByte >= 0 ? 1 : 0;
            float[] f = new float[(length + carried) / 2];
            int at = offset;
            for (int i = 0; i < f.length; i++) {
                int lo;
                if (i == 0 && carried == 1) {
                    lo = oddByte;
                } else {
                    lo = littleEndian[at++] & 0xff;
                }
                f[i] = (short) (lo | (littleEndian[at++] << 8)) / 32768f;
            }
            oddByte = at < offset + length ? littleEndian[at] & 0xff : -1;
            take(f);
        }
    }

    private void take(float[] samples) {
        synchronized (input) {
            requireOpen();
            long before = accepted;
            for (int from = 0; from < samples.length; from += SLICE) {
                int n = Math.min(SLICE, samples.length - from);
                float[] at16k;
                if (resampler == null) {
                    at16k = from == 0 && n == samples.length ? samples : java.util.Arrays.copyOfRange(samples, from, from + n);
                } else {
                    float[] slice = from == 0 && n == samples.length ? samples
                            : java.util.Arrays.copyOfRange(samples, from, from + n);
                    resampler.push(slice, n);
                    at16k = resampler.drain();
                }
                long held = queuedSamples.get() + worker.heldSamples();
                if (held + at16k.length > maxBufferedSamples) {
                    queue.add(new LiveBufferFullException(at16k.length / 16L, held / 16, maxBufferedSamples / 16));
                    continue;
                }
                if (at16k.length > 0) {
                    queue.add(at16k);
                    queuedSamples.addAndGet(at16k.length);
                    accepted += at16k.length;
                }
            }
            if (accepted != before || !queue.isEmpty()) {
                input.notifyAll();
            }
        }
    }

    /** Ends the current utterance now; nothing happens when no speech (or, without VAD, no audio) is buffered. */
    public void commit() {
        mark(Marker.COMMIT);
    }

    /** Drops the audio not yet committed: the current utterance, if any, gets no final. */
    public void clear() {
        mark(Marker.CLEAR);
    }

    private void mark(Marker m) {
        synchronized (input) {
            requireOpen();
            queue.add(m);
            input.notifyAll();
        }
    }

    /** The stream's clock: milliseconds of audio accepted so far, at 16 kHz. */
    public long positionMs() {
        synchronized (input) {
            return accepted / 16;
        }
    }

    /** Commits, waits until the remaining finals are delivered, and stops. Idempotent. */
    @Override
    public void close() {
        finish();
        joinUninterruptibly(0);
    }

    /**
     * As {@link #close()}, waiting at most {@code timeout}; then aborts what is left. True if every final
     * was delivered.
     */
    public boolean closeWithin(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        finish();
        long ms = Math.max(1, timeout.toMillis());
        joinUninterruptibly(ms);
        if (thread.isAlive()) {
            abort();
            joinUninterruptibly(0);
            return false;
        }
        return !worker.endedByAbort();
    }

    private void finish() {
        synchronized (input) {
            if (!closing) {
                closing = true;
                queue.add(Marker.END);
                input.notifyAll();
            }
        }
    }

    /** Stops now: a running decode is cancelled (its whisper state freed), no more events. Idempotent. */
    public void abort() {
        aborted = true;
        synchronized (input) {
            closing = true;
            input.notifyAll();
        }
        worker.cancelRunning();
    }

    public boolean isClosed() {
        synchronized (input) {
            return closing;
        }
    }

    private void requireOpen() {
        if (closing) {
            throw new IllegalStateException("this live transcription is closed");
        }
    }

    private void joinUninterruptibly(long ms) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("close() from the session's own listener would wait for itself; "
                    + "call abort(), or close from another thread");
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (thread.isAlive()) {
            try {
                if (ms == 0) {
                    thread.join();
                } else {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        break;
                    }
                    thread.join(left);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the worker's side ----

    boolean aborted() {
        return aborted;
    }

    /**
     * The next item for the worker: audio (float[]), a Marker, or an error to report; waits at most
     * {@code waitMs} (0: none) and returns null if nothing came. Aborting returns END at once.
     */
    Object next(long waitMs) throws InterruptedException {
        synchronized (input) {
            long deadline = System.currentTimeMillis() + waitMs;
            while (queue.isEmpty() && !aborted && waitMs > 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                input.wait(left);
            }
            if (aborted) {
                return Marker.END;
            }
            Object item = queue.poll();
            if (item instanceof float[] a) {
                queuedSamples.addAndGet(-a.length);
            }
            return item;
        }
    }

    /** Audio waiting for the worker, in 16 kHz samples. */
    long queuedSamples() {
        return queuedSamples.get();
    }

    LiveOptions options() {
        return options;
    }

    @Override
    public String toString() {
        return "LiveTranscription{" + thread.getName() + (isClosed() ? ", closed}" : "}");
    }
}
