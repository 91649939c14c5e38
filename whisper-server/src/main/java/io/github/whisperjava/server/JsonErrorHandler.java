package io.github.whisperjava.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (413 from the size limit, 431 for oversized headers, 400 for a malformed request)
 * in OpenAI's error shape, like every other answer of the service, instead of an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) throws IOException {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("message", message == null ? "HTTP " + code : message);
        inner.put("type", code < 500 ? "invalid_request_error" : "server_error");
        inner.put("param", null);
        inner.put("code", code == 413 ? "too_large" : null);
        byte[] body = Replies.JSON.writeValueAsBytes(Map.of("error", inner));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

}
