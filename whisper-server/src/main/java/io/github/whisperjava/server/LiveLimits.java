package io.github.whisperjava.server;

import java.time.Duration;

/**
 * The limits of the Realtime WebSocket sessions ({@code /v1/realtime}), each with what a client past it sees.
 *
 * @param maxSessions sessions open at once; one more is refused at the handshake with 503 and OpenAI's error body
 * @param maxSession a session open this long finishes its utterance, gets an error event and a close frame
 * @param idleTimeout a session whose client sends nothing this long is closed (audio keeps it alive)
 * @param maxMessageBytes a larger client message closes the session (1009); an append's base64 audio counts
 * @param maxBuffered audio not yet transcribed that one session may hold; more is refused with an error event
 */
record LiveLimits(int maxSessions, Duration maxSession, Duration idleTimeout, int maxMessageBytes, Duration maxBuffered) {

    LiveLimits {
        if (maxSessions < 0 || maxMessageBytes < 1024) {
            throw new IllegalArgumentException("live sessions must be at least 0 and the message limit at least 1 KiB, not "
                    + maxSessions + " and " + maxMessageBytes);
        }
    }

    /**
     * 4 sessions per whisper state (a talker is silent most of the time, and a state decodes an utterance
     * in a fraction of its length), an hour each as at OpenAI, a minute of silence from the client, 1 MiB
     * messages (16 s of 24 kHz audio per append), a minute of audio behind.
     */
    static LiveLimits defaults(int concurrency) {
        return new LiveLimits(4 * concurrency, Duration.ofHours(1), Duration.ofSeconds(60), 1 << 20, Duration.ofSeconds(60));
    }

    LiveLimits withMaxSessions(int n) {
        return new LiveLimits(n, maxSession, idleTimeout, maxMessageBytes, maxBuffered);
    }

    LiveLimits withMaxSession(Duration d) {
        return new LiveLimits(maxSessions, d, idleTimeout, maxMessageBytes, maxBuffered);
    }

    LiveLimits withIdleTimeout(Duration d) {
        return new LiveLimits(maxSessions, maxSession, d, maxMessageBytes, maxBuffered);
    }

    LiveLimits withMaxMessageBytes(int bytes) {
        return new LiveLimits(maxSessions, maxSession, idleTimeout, bytes, maxBuffered);
    }
}
