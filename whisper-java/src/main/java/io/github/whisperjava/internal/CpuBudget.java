package io.github.whisperjava.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide budget of ggml compute threads, one permit per core this JVM may use.
 *
 * <p>Why it exists: ggml's worker threads spin-wait between graph operations, so when more of them are
 * runnable than there are cores they starve each other and throughput collapses (measured on 2 cores:
 * two concurrent calls of 2 threads each ran for minutes where one after the other took seconds).
 * Every transcription, on every model of this JVM, takes its threads from here: at least one, at most
 * what it asked for, and never more than are free, so the total never exceeds the budget whatever
 * {@code threads} and {@code concurrency} callers choose. Waiting is first come, first served.
 */
public final class CpuBudget {
    private static final Logger LOG = LoggerFactory.getLogger(CpuBudget.class);
    private static final CpuBudget PROCESS = new CpuBudget(configuredSize());

    /**
     * TranscribeParams' upper limit on threads: a budget up to it still gives one call all it asks for
     * (the benchmarks' "unbounded"); beyond it, and beyond the cores, a budget means nothing.
     */
    static final int MOST_THREADS_PER_CALL = 512;

    private final int size;
    private final Semaphore permits;
    private final AtomicBoolean warnedOversized = new AtomicBoolean();

    CpuBudget(int size) {
        this.size = size;
        this.permits = new Semaphore(size, true);
    }

    /** The budget every model of this JVM shares. */
    public static CpuBudget process() {
        return PROCESS;
    }

    /** {@code WHISPER_CPU_THREADS} (or {@code -Dwhisper.cpu.threads}) when set, else the available processors. */
    private static int configuredSize() {
        int cores = Runtime.getRuntime().availableProcessors();
        return ProcessSettings.cpuThreads()
                .map(n -> capped(n, "WhisperRuntime's cpuThreads(" + n + ")", cores))
                .orElseGet(() -> sizeFor(System.getProperty("whisper.cpu.threads", System.getenv("WHISPER_CPU_THREADS")),
                        cores));
    }

    /** The budget for a {@code WHISPER_CPU_THREADS} value (null: not set) on a JVM with {@code cores}. */
    static int sizeFor(String v, int cores) {
        if (v == null || v.isBlank()) {
            return cores;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1) {
                return capped(n, "WHISPER_CPU_THREADS=" + v, cores);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        LOG.warn("WHISPER_CPU_THREADS={} is not a positive whole number; using {} (the available processors)",
                v, cores);
        return cores;
    }

    /** A positive budget {@code n}, cut where it is beyond any use; {@code named} is how the log names it. */
    private static int capped(int n, String named, int cores) {
        int ceiling = Math.max(cores, MOST_THREADS_PER_CALL);
        if (n > ceiling) {
            // a typo or a test of limits, not a budget: threads beyond the cores only starve each other
            LOG.warn("{} is more than this JVM's {} cores and more than one transcription may ask for ({}); using {}",
                    named, cores, MOST_THREADS_PER_CALL, ceiling);
            return ceiling;
        }
        return n;
    }

    public int size() {
        return size;
    }

    /** Threads currently handed out (for metrics and tests). */
    public int inUse() {
        return size - permits.availablePermits();
    }

    /**
     * Takes between 1 and {@code wanted} threads, as many as are free once at least one is, waiting up to
     * {@code timeoutNanos} (negative: as long as it takes) for the first.
     *
     * @return how many threads the caller may run; give them back with {@link #release(int)}
     * @throws NativeModel.PoolTimeoutException if none became free in time
     */
    public int acquire(int wanted, long timeoutNanos) throws InterruptedException {
        if (wanted > size && warnedOversized.compareAndSet(false, true)) {
            LOG.warn("a transcription asked for {} threads, but this JVM may use {} cores; it gets at most {} "
                    + "(more threads than cores make ggml's spinning workers starve each other). "
                    + "Set WHISPER_CPU_THREADS to change the budget.", wanted, size, size);
        }
        if (timeoutNanos < 0) {
            permits.acquire();
        } else if (!permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
            throw new NativeModel.PoolTimeoutException();
        }
        int got = 1;
        while (got < wanted && permits.tryAcquire()) {
            got++;
        }
        return got;
    }

    public void release(int threads) {
        permits.release(threads);
    }
}
