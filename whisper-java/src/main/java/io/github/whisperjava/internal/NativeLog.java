package io.github.whisperjava.internal;

import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes whisper.cpp and ggml log output to SLF4J logger {@code io.github.whisperjava.native}.
 *
 * <p>whisper.cpp logs in fragments (progress dots, {@code GGML_LOG_LEVEL_CONT} continuations), so
 * fragments are joined per thread until a newline. Its INFO chatter (every hyper-parameter at load)
 * goes to DEBUG: quiet by default, there when asked for.
 */
final class NativeLog {
    static final Logger LOG = LoggerFactory.getLogger("io.github.whisperjava.native");

    // ggml_log_level
    private static final int NONE = 0;
    private static final int DEBUG = 1;
    private static final int INFO = 2;
    private static final int WARN = 3;
    private static final int ERROR = 4;
    private static final int CONT = 5;

    private static final ThreadLocal<Line> LINE = ThreadLocal.withInitial(Line::new);
    /** The state of the transcription running on this thread, 0 when none (see {@link Natives#full}). */
    private static final ThreadLocal<long[]> CALL = ThreadLocal.withInitial(() -> new long[1]);

    private static final class Line {
        final StringBuilder text = new StringBuilder();
        int level = INFO;
    }

    private NativeLog() {}

    static void beginCall(long state) {
        CALL.get()[0] = state;
    }

    static void endCall() {
        CALL.get()[0] = 0;
    }

    static void accept(int level, byte[] bytes) {
        Line line = LINE.get();
        if (level != CONT && level != NONE && line.text.length() == 0) {
            line.level = level;
        }
        String s = new String(bytes, StandardCharsets.UTF_8);
        int start = 0;
        int nl;
        while ((nl = s.indexOf('\n', start)) >= 0) {
            line.text.append(s, start, nl);
            emit(line.level, line.text.toString());
            line.text.setLength(0);
            start = nl + 1;
        }
        line.text.append(s, start, s.length());
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
