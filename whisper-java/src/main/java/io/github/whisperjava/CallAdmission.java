package io.github.whisperjava;

import io.github.whisperjava.internal.CpuBudget;
import io.github.whisperjava.internal.NativeModel;
import io.github.whisperjava.internal.Timeouts;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * What a call waits for before it runs: a free whisper_state of its model, then a share of the process's
 * CPU budget, both within {@link TranscribeParams#queueTimeout()}; and the refusal of a call made from
 * inside a listener of a call this thread already runs.
 */
final class CallAdmission {
    /**
     * The model whose call this thread is running, while it runs: a listener that calls in again would
     * wait for the state and CPU share its own call holds.
     */
    private static final ThreadLocal<Object> CALL_ON_THIS_THREAD = new ThreadLocal<>();

    /** Work done while holding a CPU share of {@code threads} and a whisper_state. */
    interface LeasedWork<T> {
        T run(NativeModel.Lease lease, int threads);
    }

    private final NativeModel model;
    private final Object owner; // named in the refusal of a nested call

    CallAdmission(NativeModel model, Object owner) {
        this.model = model;
        this.owner = owner;
    }

    /**
     * Waits for a free state, then for a CPU share (params.queueTimeout bounds both waits together), runs
     * the work, and gives both back.
     */
    <T> T run(TranscribeParams params, LeasedWork<T> work) {
        Object outer = CALL_ON_THIS_THREAD.get();
        if (outer != null) {
            throw new IllegalStateException("transcribe and detectLanguage cannot be called from inside a listener "
                    + "of a call on " + outer + ": the inner call would wait for the whisper state and CPU share "
                    + "the outer one holds until the listener returns; hand the work to another thread");
        }
        long queueNanos = params.queueTimeout() == null ? -1 : Timeouts.nanos(params.queueTimeout());
        long queueDeadline = System.nanoTime() + Math.max(0, queueNanos);
        // the state first, then the CPU share: a call queued for a busy model holds no threads that a call
        // on an idle model could use
        NativeModel.Lease lease;
        try {
            lease = model.lease(queueNanos < 0 ? null : Duration.ofNanos(queueNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a free whisper state");
        } catch (NativeModel.PoolTimeoutException e) {
            throw new ModelBusyException(params.queueTimeout(), model.poolSize());
        }
        try (lease) {
            CpuBudget cpu = CpuBudget.process();
            int threads;
            try {
                threads = cpu.acquire(params.threads(),
                        queueNanos < 0 ? -1 : Math.max(0, queueDeadline - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for a free CPU share");
            } catch (NativeModel.PoolTimeoutException e) {
                throw ModelBusyException.cpuBudgetSpent(params.queueTimeout(), cpu.size());
            }
            CALL_ON_THIS_THREAD.set(owner);
            try {
                return work.run(lease, threads);
            } finally {
                CALL_ON_THIS_THREAD.remove();
                cpu.release(threads);
            }
        }
    }
}
