package io.github.whisperjava.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectableChannelEndPoint;
import org.eclipse.jetty.server.Request;

/**
 * Cancels a request's transcription when its client goes away. Jetty reports failures it sees, but
 * once an HTTP/1.1 body has been read it does not read the socket again until the answer is sent, so a
 * client that hangs up during a transcription goes unnoticed. So, while whisper runs, the socket is
 * probed four times a second: end of stream means the client left. A client that pipelines its next
 * request has a byte of it consumed by the probe; that connection is closed after this answer (HTTP/1.1
 * allows it; clients retry), which is the price of not transcribing for nobody.
 */
final class ClientWatch implements AutoCloseable {
    private static final long PROBE_MS = 250;

    private final Request core;
    private final Cancellation cancellation;
    private volatile ScheduledFuture<?> probe;
    private volatile boolean consumedPipelinedByte;

    private ClientWatch(Request core, Cancellation cancellation) {
        this.core = core;
        this.cancellation = cancellation;
    }

    static ClientWatch on(HttpServletRequest req, Cancellation cancellation) {
        Request core = ServletContextRequest.getServletContextRequest(req);
        core.addFailureListener(failure -> cancellation.cancel(Cancellation.Reason.CLIENT_GONE));
        return new ClientWatch(core, cancellation);
    }

    /**
     * The body has arrived: from now on the request waits for whisper, not the client. An idle connection
     * is expected (idle timeouts are ignored), and a closed one cancels the work.
     */
    void bodyRead(ScheduledExecutorService timer) {
        core.addIdleTimeoutListener(timeout -> false);
        EndPoint endPoint = core.getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint instanceof SelectableChannelEndPoint s && s.getChannel() instanceof ReadableByteChannel channel) {
            probe = timer.scheduleWithFixedDelay(() -> probe(endPoint, channel), PROBE_MS, PROBE_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void probe(EndPoint endPoint, ReadableByteChannel channel) {
        if (!endPoint.isOpen()) {
            cancellation.cancel(Cancellation.Reason.CLIENT_GONE);
            return;
        }
        try {
            int n = channel.read(ByteBuffer.allocate(1)); // non-blocking: 0 while the client just waits
            if (n < 0) {
                cancellation.cancel(Cancellation.Reason.CLIENT_GONE);
            } else if (n > 0) {
                consumedPipelinedByte = true;
                probe.cancel(false);
            }
        } catch (IOException e) {
            cancellation.cancel(Cancellation.Reason.CLIENT_GONE); // reset by peer
        }
    }

    /** Before the answer is written: stop probing; close the connection after it if a probe read a byte. */
    void answering(HttpServletResponse resp) {
        ScheduledFuture<?> p = probe;
        if (p != null) {
            p.cancel(false);
        }
        if (consumedPipelinedByte) {
            resp.setHeader("Connection", "close");
        }
    }

    @Override
    public void close() {
        ScheduledFuture<?> p = probe;
        if (p != null) {
            p.cancel(false);
        }
    }
}
