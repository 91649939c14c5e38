package io.github.whisperjava.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes whisper.cpp and ggml log output to SLF4J logger {@code io.github.whisperjava.native}.
 *
 * <p>whisper.cpp logs in fragments (progress dots, {@code GGML_LOG_LEVEL_CONT} continuations); the
 * shim joins them per native thread and sends whole lines, and only those at or above {@link
 * #threshold()}: a line nobody would see costs no upcall. Its INFO chatter (every hyper-parameter at
 * load) goes to DEBUG: quiet by default, there when asked for.
 */
final class NativeLog {
    static final Logger LOG = LoggerFactory.getLogger("io.github.whisperjava.native");

    // ggml_log_level
    private static final int DEBUG = 1;
    private static final int WARN = 3;
    private static final int ERROR = 4;
    private static final int NOTHING = 5;

    /** The state of the transcription running on this thread, 0 when none (set by {@link NativeModel.Lease#full}). */
    private static final ThreadLocal<long[]> CALL = ThreadLocal.withInitial(() -> new long[1]);
    /** Lines received from the shim, and those of them SLF4J would not print; for tests of the filter. */
    static final AtomicLong RECEIVED = new AtomicLong();
    static final AtomicLong RECEIVED_UNWANTED = new AtomicLong();

    private NativeLog() {}

    /**
     * The lowest ggml level SLF4J would print: whisper.cpp's INFO and DEBUG both map to our DEBUG.
     * Read again at every model load, where most lines come from, so a level changed at run time
     * takes effect there.
     */
    static int threshold() {
        return LOG.isDebugEnabled() ? DEBUG : LOG.isWarnEnabled() ? WARN : LOG.isErrorEnabled() ? ERROR : NOTHING;
    }

    static void applyThreshold() {
        WhisperJni.setLogLevel(threshold());
    }

    static void beginCall(long state) {
        CALL.get()[0] = state;
    }

    static void endCall() {
        CALL.get()[0] = 0;
    }

    /** One whole line (no newline), or the first part of one longer than the shim's line buffer. */
    static void accept(int level, byte[] bytes) {
        RECEIVED.incrementAndGet();
        if (level < threshold()) {
            RECEIVED_UNWANTED.incrementAndGet();
        }
        emit(level, new String(bytes, StandardCharsets.UTF_8));
    }

    private static void emit(int level, String text) {
        if (text.isBlank()) {
            return;
        }
        long state = CALL.get()[0];
        if ((level == ERROR || level == WARN) && state != 0 && WhisperJni.isAborted(state)) {
            // "failed to encode" and the like are how whisper.cpp reports our own abort: expected, not an error
            LOG.debug("{} (the transcription was cancelled)", text);
            return;
        }
        switch (level) {
            case ERROR -> LOG.error(text);
            case WARN -> LOG.warn(text);
            default -> LOG.debug(text);
        }
    }
}
