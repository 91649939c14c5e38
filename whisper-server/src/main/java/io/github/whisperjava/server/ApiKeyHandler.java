package io.github.whisperjava.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses a request without the service's API key with 401 in OpenAI's error shape, before anything
 * is spooled or transcribed; {@code /health}, {@code /ready} and {@code /metrics} stay open to probes and scrapers.
 */
final class ApiKeyHandler extends Handler.Wrapper {
    private static final byte[] REFUSED = ("{\"error\":{\"message\":\"a valid API key is required: send "
            + "'Authorization: Bearer KEY'\",\"type\":\"invalid_request_error\",\"param\":null,"
            + "\"code\":\"invalid_api_key\"}}").getBytes(StandardCharsets.UTF_8);

    private final ApiKey key;

    ApiKeyHandler(Handler next, ApiKey key) {
        super(next);
        this.key = key;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        boolean open = path.equals("/health") || path.equals("/ready") || path.equals("/metrics");
        if (open || key.admits(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            return super.handle(request, response, callback);
        }
        // the body is read (and dropped, without a thread waiting for it) before the answer: a client
        // that writes its whole upload before it reads, as OpenAI's SDK does, would otherwise see a
        // broken pipe instead of the 401
        Content.Source.consumeAll(request, Callback.from(() -> refuse(response, callback), callback::failed));
        return true;
    }

    private static void refuse(Response response, Callback callback) {
        response.setStatus(401);
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(REFUSED), callback);
    }
}
