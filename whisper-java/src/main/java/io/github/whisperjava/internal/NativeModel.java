package io.github.whisperjava.internal;

import io.github.whisperjava.ModelInfo;
import io.github.whisperjava.ModelOptions;
import java.lang.ref.WeakReference;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one {@code whisper_context} and the {@code whisper_state}s made from it.
 *
 * <p>Each transcription leases a state; at most {@code poolSize} are leased at once and later callers
 * wait for one. Closing stops new leases at once, and frees the context and every state exactly once,
 * when the last lease is returned: no path frees memory a running call still uses. This object is also
 * the {@link java.lang.ref.Cleaner} action of the {@code Whisper} that owns it, so it must never refer
 * back to it.
 */
public final class NativeModel implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(NativeModel.class);

    private final Object lock = new Object();
    private final String name;
    private final ModelInfo info;
    private final int poolSize;
    private final Semaphore permits;
    /** Free states, most recently used first, each with the System.nanoTime() it was returned at. */
    private final ArrayDeque<long[]> idle = new ArrayDeque<>();
    private final long idleTimeoutNanos; // <= 0: never evict
    private boolean evictionScheduled;
    private final Map<Long, Thread> leased = new HashMap<>();
    private long ctx;
    private boolean closing;
    private boolean closedByOwner;
    // bumped by every cancelRunning(): a state still being created when it happens is cancelled on arrival
    private long cancelEpoch;

    /**
     * Checks a model file (GgmlModelHeader) and loads it into a context owned by the returned object.
     *
     * @throws io.github.whisperjava.ModelLoadException if the file fails the check, whisper.cpp cannot load
     *     it, it changed while loading, or the path cannot be named to it
     */
    public static NativeModel open(Path path, ModelOptions options) {
        NativeLoader.load();
        long ctx = WhisperJni.initContext(path, options);
        try {
            return new NativeModel(ctx, WhisperJni.readModelInfo(ctx), path.getFileName().toString(),
                    options.concurrency(), options.idleStateTimeout());
        } catch (RuntimeException | Error e) {
            WhisperJni.freeContext(ctx); // nothing owns it yet
            throw e;
        }
    }

    private NativeModel(long ctx, ModelInfo info, String name, int poolSize, Duration idleTimeout) {
        if (ctx == 0) {
            throw new IllegalArgumentException("null context");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1, got " + poolSize);
        }
        this.ctx = ctx;
        this.info = info;
        this.name = name;
        this.poolSize = poolSize;
        this.permits = new Semaphore(poolSize, true);
        this.idleTimeoutNanos = idleTimeout == null ? 0 : Timeouts.nanos(idleTimeout);
        ShutdownGuard.register(this);
    }

    /** What whisper.cpp says the model is; read once at load. */
    public ModelInfo info() {
        return info;
    }

    public int poolSize() {
        return poolSize;
    }

    /** Leases a state, waiting up to {@code timeout} (null = as long as it takes) for a free one. */
    public Lease lease(Duration timeout) throws InterruptedException {
        return lease(timeout == null ? -1 : Timeouts.nanos(timeout));
    }

    // the wait in nanoseconds; negative: as long as it takes
    private Lease lease(long timeoutNanos) throws InterruptedException {
        ensureOpen();
        if (timeoutNanos < 0) {
            permits.acquire();
        } else if (!permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
            throw new PoolTimeoutException();
        }
        long state;
        long context;
        long epoch;
        synchronized (lock) {
            if (closing) {
                permits.release();
                throw closedException();
            }
            long[] reused = idle.pollFirst();
            state = reused == null ? 0 : reused[0];
            context = ctx;
            epoch = cancelEpoch;
            if (state != 0) {
                // cleared before it is published: a cancelRunning() from here on reaches this call
                WhisperJni.setAbort(state, false);
            }
            leased.put(state == 0 ? placeholderKey() : state, Thread.currentThread());
        }
        if (state == 0) {
            // allocated outside the lock (it takes milliseconds); the context cannot go away meanwhile
            // because the placeholder lease keeps `leased` non-empty
            try {
                state = WhisperJni.initState(context);
            } catch (RuntimeException | Error e) {
                synchronized (lock) {
                    leased.remove(placeholderKey());
                    finishIfDrained();
                }
                permits.release();
                throw e;
            }
            synchronized (lock) {
                leased.remove(placeholderKey());
                leased.put(state, Thread.currentThread());
                if (cancelEpoch != epoch) {
                    WhisperJni.setAbort(state, true); // cancelled while its state was being made
                }
            }
        }
        return new Lease(context, state);
    }

    // A negative, per-thread key: real states are positive pointers.
    private static long placeholderKey() {
        return -Thread.currentThread().getId() - 1;
    }

    /** Asks every running transcription to stop; they end with a CancellationException. */
    public void cancelRunning() {
        synchronized (lock) {
            cancelEpoch++;
            for (Long state : leased.keySet()) {
                if (state > 0) {
                    WhisperJni.setAbort(state, true);
                }
            }
        }
    }

    /**
     * Stops new leases, optionally cancels running ones, waits for them to end unless the caller is one
     * of them, and frees everything once. Idempotent.
     */
    public void close(boolean cancelRunning) {
        close(cancelRunning, -1);
    }

    /**
     * As {@link #close(boolean)}, waiting at most {@code timeout} (negative is zero). Calls still running
     * then keep their memory; the last one to return frees everything.
     *
     * @return whether everything was freed before returning
     */
    public boolean close(boolean cancelRunning, Duration timeout) {
        return close(cancelRunning, timeout.isNegative() ? 0 : Timeouts.nanos(timeout));
    }

    // the wait in nanoseconds; negative: as long as it takes
    private boolean close(boolean cancelRunning, long timeoutNanos) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        try {
            synchronized (lock) {
                closedByOwner = true;
                if (ctx == 0) {
                    return true;
                }
                closing = true;
                if (cancelRunning) {
                    cancelRunning();
                }
                // a listener that closes the model from inside its own transcription must not wait for itself
                while (!leased.isEmpty() && !leased.containsValue(Thread.currentThread())) {
                    long left = deadline - System.nanoTime();
                    if (timeoutNanos >= 0 && left <= 0) {
                        return false;
                    }
                    try {
                        if (timeoutNanos < 0) {
                            lock.wait();
                        } else {
                            TimeUnit.NANOSECONDS.timedWait(lock, left);
                        }
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                finishIfDrained();
                return ctx == 0;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * For JVM shutdown: refuses new calls, cancels running ones and waits until {@code deadlineNanos}
     * (System.nanoTime) for them to return from native code. Frees nothing: the process is ending, and
     * a call that did not return in time may still be using the memory.
     *
     * @return whether no call was left running
     */
    boolean quiesce(long deadlineNanos) {
        synchronized (lock) {
            if (ctx == 0) {
                return true;
            }
            closing = true;
            cancelRunning();
            while (!leased.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return leased.isEmpty();
                }
            }
            return true;
        }
    }

    /**
     * How many calls hold a state or are creating one right now: the calls a {@link #cancelRunning()}
     * made now would reach. For tests and monitoring.
     */
    public int running() {
        synchronized (lock) {
            return leased.size();
        }
    }

    public boolean isClosed() {
        synchronized (lock) {
            return closing;
        }
    }

    /** Cleaner action: runs once, when the owning Whisper became unreachable or was closed. */
    @Override
    public void run() {
        synchronized (lock) {
            if (!closedByOwner && ctx != 0) {
                LOG.warn("whisper model {} was never closed; freeing its native memory now. "
                        + "Use try-with-resources or call close().", name);
            }
        }
        close(false);
    }

    private void finishIfDrained() {
        // caller holds lock
        if (closing && leased.isEmpty() && ctx != 0) {
            while (!idle.isEmpty()) {
                WhisperJni.freeState(idle.pollFirst()[0]);
            }
            WhisperJni.freeContext(ctx);
            ctx = 0;
            ShutdownGuard.unregister(this);
            LOG.debug("freed whisper model {}", name);
        }
        lock.notifyAll();
    }

    private void ensureOpen() {
        synchronized (lock) {
            if (closing) {
                throw closedException();
            }
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("whisper model " + name + " is closed");
    }

    /** No state became free within the caller's timeout. */
    public static final class PoolTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PoolTimeoutException() {
            super(null, null, false, false);
        }
    }

    /** The states allocated now, leased or idle; for tests and monitoring. */
    public int liveStates() {
        synchronized (lock) {
            return idle.size() + (int) leased.keySet().stream().filter(k -> k > 0).count();
        }
    }

    // Called under the lock. One pending check per model; it holds the model only weakly, so an
    // unclosed model can still be collected and freed by its Cleaner.
    private void scheduleEviction() {
        if (idleTimeoutNanos <= 0 || evictionScheduled || idle.size() <= 1) {
            return;
        }
        evictionScheduled = true;
        long oldest = idle.peekLast()[1];
        long delay = Math.max(0, oldest + idleTimeoutNanos - System.nanoTime());
        WeakReference<NativeModel> self = new WeakReference<>(this);
        Evictor.EXECUTOR.schedule(() -> {
            NativeModel m = self.get();
            if (m != null) {
                m.evictIdle();
            }
        }, delay + 1_000_000, TimeUnit.NANOSECONDS);
    }

    private void evictIdle() {
        synchronized (lock) {
            evictionScheduled = false;
            if (closing || ctx == 0) {
                return;
            }
            long now = System.nanoTime();
            int freed = 0;
            while (idle.size() > 1 && now - idle.peekLast()[1] >= idleTimeoutNanos) {
                WhisperJni.freeState(idle.pollLast()[0]);
                freed++;
            }
            if (freed > 0) {
                LOG.debug("whisper model {}: freed {} state(s) idle for {} ms; {} kept", name, freed,
                        idleTimeoutNanos / 1_000_000, idle.size() + leased.size());
            }
            scheduleEviction();
        }
    }

    /** One daemon thread for every model's idle-state checks: they are rare and take milliseconds. */
    private static final class Evictor {
        static final ScheduledExecutorService EXECUTOR =
                Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "whisper-idle-states");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** One leased state. {@link #close()} returns it to the pool, exactly once. */
    public final class Lease implements AutoCloseable {
        private final long context;
        private final long state;
        private boolean returned; // guarded by lock
        private boolean broken;

        private Lease(long context, long state) {
            this.context = context;
            this.state = state;
        }

        // the pointers, for this package only, and only while the lease is held
        long context() {
            return context;
        }

        long state() {
            return state;
        }

        /**
         * Runs whisper_full on {@code samples}: a float[], or a direct FloatBuffer in native byte order that
         * the shim reads in place (from index 0; {@code n} samples). {@code deadline}: a System.nanoTime()
         * value from {@link Timeouts#deadline}, or 0 for none.
         *
         * @return whisper.cpp's return code
         */
        public int full(Object samples, int n, NativeFullParams params, NativeListener listener, long deadline) {
            ensureHeld();
            // the shim checks that n samples are there (and that a buffer is direct); not the byte order
            boolean nativeBuffer = samples instanceof FloatBuffer b && b.order() == ByteOrder.nativeOrder();
            if (!(samples instanceof float[]) && !nativeBuffer) {
                throw new IllegalArgumentException("samples must be a float[] or a native-order FloatBuffer");
            }
            NativeLog.beginCall(state);
            try {
                return samples instanceof float[] a
                        ? WhisperJni.full(context, state, a, n, params, listener, deadline)
                        : WhisperJni.fullDirect(context, state, (FloatBuffer) samples, n, params, listener, deadline);
            } finally {
                NativeLog.endCall();
            }
        }

        /** Asks the call running on this state to stop; from any thread; after the lease is returned, nothing. */
        public void abort() {
            synchronized (lock) {
                if (!returned) {
                    WhisperJni.setAbort(state, true);
                }
            }
        }

        /** Whether the last call on this state was told to stop. */
        public boolean aborted() {
            ensureHeld();
            return WhisperJni.isAborted(state);
        }

        /**
         * The phase times this state has accumulated, in microseconds: mel, sample, encode, decode,
         * batchd, prompt; then the number of encoder runs (getters our whisper.cpp patch adds;
         * cpp/patches/whisper-state-timings.patch).
         */
        public long[] phaseMicros() {
            ensureHeld();
            long[] out = new long[7];
            WhisperJni.stateTimings(state, out);
            return out;
        }

        /**
         * whisper's probability for each language id, from the first 30 s of {@code samples} (a float[] or
         * a direct FloatBuffer) after {@code offset} samples, with an encoder window of {@code positions}.
         */
        public float[] languageProbabilities(Object samples, int offset, int n, int threads, int positions) {
            ensureHeld();
            int count = Math.max(0, Math.min(n - offset, 30 * 16_000));
            float[] head = new float[count];
            if (samples instanceof float[] a) {
                System.arraycopy(a, offset, head, 0, count);
            } else {
                ((FloatBuffer) samples).get(offset, head);
            }
            return WhisperJni.detectLanguage(context, state, head, count, threads,
                    positions >= info.audioContext() ? 0 : positions);
        }

        /** The model's vocabulary as whisper.cpp holds it, token id to bytes. */
        public byte[][] vocabulary() {
            ensureHeld();
            return WhisperJni.vocabulary(context, info.vocabularySize());
        }

        private void ensureHeld() {
            synchronized (lock) {
                if (returned) {
                    throw new IllegalStateException("this whisper state was returned to the pool");
                }
            }
        }

        /** The state must not be reused (its last call failed in a way that may have left it inconsistent). */
        public void discard() {
            broken = true;
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (returned) {
                    return;
                }
                returned = true;
                leased.remove(state);
                if (broken || closing) {
                    WhisperJni.freeState(state);
                } else {
                    idle.addFirst(new long[] {state, System.nanoTime()}); // most recently used first: warm memory
                    scheduleEviction();
                }
                finishIfDrained();
            }
            permits.release();
        }
    }
}
