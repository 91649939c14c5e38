package io.github.whisperjava.server;

import io.github.whisperjava.CancellationToken;

/**
 * One request's cancellation, with the reason: a transcription that ends cancelled is answered by why
 * (the client left, the service is stopping, or its time ran out).
 */
final class Cancellation {
    enum Reason { CLIENT_GONE, SHUTDOWN }

    final CancellationToken token = new CancellationToken();
    private volatile Reason reason;

    void cancel(Reason why) {
        if (reason == null) {
            reason = why;
        }
        token.cancel();
    }

    /** Why it was cancelled, or null when nobody cancelled it (then its deadline did). */
    Reason reason() {
        return reason;
    }
}
