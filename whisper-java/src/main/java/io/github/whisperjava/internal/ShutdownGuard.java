package io.github.whisperjava.internal;

import io.github.whisperjava.models.Settings;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JVM shutdown hook for every loaded model: cancel what is running and wait, for a bounded time,
 * until no thread is inside whisper.cpp any more.
 *
 * <p>Why: when the JVM exits (SIGTERM, SIGINT, {@code System.exit}) while a transcription runs,
 * {@code exit()} tears down the native libraries' static state while ggml's threads still compute on
 * it, and the process dies with SIGSEGV in {@code libggml-cpu}. Cancelled calls return at their next
 * encoder window or decoder step, so waiting for them makes the exit clean. The wait is bounded by
 * {@code WHISPER_SHUTDOWN_GRACE} (seconds, default 30, the usual container stop grace period).
 */
final class ShutdownGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownGuard.class);
    private static final Set<NativeModel> LIVE = ConcurrentHashMap.newKeySet();
    private static final Duration GRACE = ProcessSettings.shutdownGrace().orElseGet(() -> grace(Settings.system()));
    /** Voice activity detections inside whisper.cpp now: they hold no lease, so no model counts them. */
    private static final AtomicInteger DETECTIONS = new AtomicInteger();
    private static final Object DETECTIONS_DONE = new Object();

    static {
        Thread hook = new Thread(ShutdownGuard::quiesceAll, "whisper-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the first model of this JVM is loaded by another shutdown hook: there is no later exit to
            // guard, and failing here would fail this class, so every later load, for good
            LOG.debug("JVM already shutting down: no shutdown guard for models loaded now");
        }
    }

    private ShutdownGuard() {}

    static void register(NativeModel model) {
        LIVE.add(model);
    }

    static void unregister(NativeModel model) {
        LIVE.remove(model);
    }

    static void detectionStarted() {
        DETECTIONS.incrementAndGet();
    }

    static void detectionEnded() {
        if (DETECTIONS.decrementAndGet() == 0) {
            synchronized (DETECTIONS_DONE) {
                DETECTIONS_DONE.notifyAll();
            }
        }
    }

    static Duration grace(Settings settings) {
        String v = settings.get("WHISPER_SHUTDOWN_GRACE").orElse("30");
        try {
            double seconds = Double.parseDouble(v);
            if (seconds >= 0 && seconds <= 3600) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        LOG.warn("WHISPER_SHUTDOWN_GRACE={} is not a number of seconds from 0 to 3600; using 30", v);
        return Duration.ofSeconds(30);
    }

    private static void quiesceAll() {
        int running = LIVE.stream().mapToInt(NativeModel::running).sum() + DETECTIONS.get();
        if (running == 0) {
            return;
        }
        LOG.info("JVM shutting down: cancelling {} running transcription(s), waiting up to {} s for them",
                running, GRACE.toMillis() / 1000.0);
        long deadline = System.nanoTime() + GRACE.toNanos();
        boolean clean = true;
        for (NativeModel m : LIVE) {
            clean &= m.quiesce(deadline);
        }
        // a detection cannot be cancelled inside (whisper.cpp has no abort for VAD); it takes ms per second
        synchronized (DETECTIONS_DONE) {
            while (DETECTIONS.get() > 0 && deadline - System.nanoTime() > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(DETECTIONS_DONE, deadline - System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            clean &= DETECTIONS.get() == 0;
        }
        if (!clean) {
            LOG.warn("a transcription was still inside whisper.cpp after {} s; the JVM exits anyway "
                    + "(raise WHISPER_SHUTDOWN_GRACE)", GRACE.toMillis() / 1000.0);
        }
    }
}
