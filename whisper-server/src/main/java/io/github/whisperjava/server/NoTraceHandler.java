package io.github.whisperjava.server;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * TRACE (and TRACK) answer 405: a servlet's default TRACE echoes the request's headers, an API key or a
 * proxy's cookies among them, back to whoever sent it.
 */
final class NoTraceHandler extends Handler.Wrapper {
    NoTraceHandler(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (method.equals("TRACE") || method.equals("TRACK")) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
