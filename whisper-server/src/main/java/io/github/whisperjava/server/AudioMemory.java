package io.github.whisperjava.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap that decoded audio may take, shared by the transcriptions running at once. A request
 * reserves what its audio can decode to before it decodes it (for compressed audio that is the
 * service's longest audio: a few hundred kB of FLAC can hold an hour), then keeps only what the
 * samples took. So {@code --concurrency} states on a small heap decode one after the other instead of
 * together into an OutOfMemoryError.
 */
final class AudioMemory {
    private static final long MIB = 1 << 20;

    private final int totalMib;
    private final Semaphore mib;

    AudioMemory(long bytes) {
        this.totalMib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / MIB));
        this.mib = new Semaphore(totalMib, true);
    }

    /** What the heap allows: a share of {@code -Xmx}, the rest left to Jetty, the model's Java side and GC room. */
    static AudioMemory ofHeap(double share) {
        return new AudioMemory((long) (Runtime.getRuntime().maxMemory() * share));
    }

    long totalBytes() {
        return totalMib * MIB;
    }

    /**
     * Reserves {@code bytes} (at most the whole budget, so that one request too large for it still runs,
     * alone); null if that much did not come free within the timeout.
     */
    Reservation reserve(long bytes, long timeoutNanos) throws InterruptedException {
        int want = mibOf(bytes);
        return mib.tryAcquire(want, Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS) ? new Reservation(want) : null;
    }

    /** Lets every waiter in at once (the service stops: they are to give up, not to wait). */
    void releaseWaiters() {
        mib.release(Integer.MAX_VALUE / 2 - totalMib);
    }

    private int mibOf(long bytes) {
        return (int) Math.min(totalMib, Math.max(1, (bytes + MIB - 1) / MIB));
    }

    /** One request's share; {@link #close()} gives it back. */
    final class Reservation implements AutoCloseable {
        private int held;

        private Reservation(int held) {
            this.held = held;
        }

        /** Keeps only {@code bytes} of the reservation (the samples turned out shorter than feared). */
        synchronized void shrinkTo(long bytes) {
            int keep = Math.min(held, mibOf(bytes));
            mib.release(held - keep);
            held = keep;
        }

        @Override
        public synchronized void close() {
            mib.release(held);
            held = 0;
        }
    }
}
