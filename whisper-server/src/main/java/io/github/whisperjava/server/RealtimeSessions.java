package io.github.whisperjava.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Realtime sessions open now: a place for each (at most {@link LiveLimits#maxSessions()}), freed the
 * moment its session ends however it ends, and the stop that lets each finish its utterance.
 */
final class RealtimeSessions {
    private final int max;
    private final Set<RealtimeSession> open = ConcurrentHashMap.newKeySet();
    private int places; // guarded by this
    private boolean stopping; // guarded by this

    RealtimeSessions(int max) {
        this.max = max;
    }

    /** Takes a place; false when all are taken or the service stops. */
    synchronized boolean reserve() {
        if (stopping || places >= max) {
            return false;
        }
        places++;
        return true;
    }

    /** A place taken by {@link #reserve()} and never used (the upgrade failed). */
    synchronized void unreserve() {
        places--;
        notifyAll();
    }

    void opened(RealtimeSession s) {
        open.add(s);
    }

    /** The session has ended: its place is free at once. Called once per session. */
    void ended(RealtimeSession s) {
        open.remove(s);
        unreserve();
    }

    synchronized int count() {
        return places;
    }

    int max() {
        return max;
    }

    /**
     * The service stops: no new session; each open one finishes its current utterance (its finals are
     * sent) and gets a close frame, all within {@code grace}; those not done by then are aborted. Returns
     * when every session has ended, or 10 s after the grace period.
     */
    void stop(Duration grace) {
        synchronized (this) {
            stopping = true;
        }
        List<Thread> closing = new ArrayList<>();
        for (RealtimeSession s : List.copyOf(open)) {
            Thread t = new Thread(() -> s.finish(grace), "realtime-stop");
            t.setDaemon(true);
            t.start();
            closing.add(t);
        }
        long end = System.nanoTime() + grace.toNanos() + TimeUnit.SECONDS.toNanos(10);
        try {
            for (Thread t : closing) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            }
            synchronized (this) {
                while (places > 0 && System.nanoTime() < end) {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open.forEach(RealtimeSession::abort);
    }
}
