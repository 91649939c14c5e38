package io.github.whisperjava.examples.service;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * A limit on the time a request body may take to arrive whole. The idle timeout catches a client that
 * stops sending; this catches one that trickles a byte a second, which no idle timeout ever sees: at the
 * deadline the connection is closed, and the thread reading the body gets an error at once.
 */
final class BodyDeadline implements AutoCloseable {
    private final ScheduledFuture<?> cut;
    private volatile boolean expired;

    private BodyDeadline(HttpServletRequest req, Duration limit, ScheduledExecutorService timer) {
        EndPoint endPoint = ServletContextRequest.getServletContextRequest(req).getConnectionMetaData()
                .getConnection().getEndPoint();
        this.cut = timer.schedule(() -> {
            expired = true;
            endPoint.close();
        }, limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    static BodyDeadline arm(HttpServletRequest req, Duration limit, ScheduledExecutorService timer) {
        return new BodyDeadline(req, limit, timer);
    }

    boolean expired() {
        return expired;
    }

    @Override
    public void close() {
        cut.cancel(false);
    }
}
