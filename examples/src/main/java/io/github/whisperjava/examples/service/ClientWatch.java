package io.github.whisperjava.examples.service;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;

/**
 * Cancels a request's transcription when its client goes away: Jetty reports the connection closed or
 * the request failed. An idle connection during a long transcription is not a departed client (the
 * client is waiting for the answer), so idle timeouts are ignored once the body has arrived.
 */
final class ClientWatch implements AutoCloseable {
    private final Connection connection;
    private final Connection.Listener listener;

    private ClientWatch(Connection connection, Connection.Listener listener) {
        this.connection = connection;
        this.listener = listener;
    }

    static ClientWatch on(HttpServletRequest req, Cancellation cancellation) {
        Request core = ServletContextRequest.getServletContextRequest(req);
        core.addFailureListener(failure -> cancellation.cancel(Cancellation.Reason.CLIENT_GONE));
        Connection connection = core.getConnectionMetaData().getConnection();
        Connection.Listener listener = new Connection.Listener() {
            @Override
            public void onClosed(Connection c) {
                cancellation.cancel(Cancellation.Reason.CLIENT_GONE);
            }
        };
        connection.addEventListener(listener);
        return new ClientWatch(connection, listener);
    }

    /** From now on the request waits for whisper, not for the client: an idle connection is expected. */
    static void ignoreIdleTimeouts(HttpServletRequest req) {
        ServletContextRequest.getServletContextRequest(req).addIdleTimeoutListener(timeout -> false);
    }

    @Override
    public void close() {
        connection.removeEventListener(listener); // connections outlive requests
    }
}
