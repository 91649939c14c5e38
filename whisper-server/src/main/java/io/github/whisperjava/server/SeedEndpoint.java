package io.github.whisperjava.server;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * {@code POST /transcribe}, the API this service replaces: a JSON body {@code {"audio_url", "language",
 * "response_format"}} (also when labelled as a form, as {@code curl -d} does), the same fields as a form,
 * or an uploaded file (multipart {@code file}, or the raw audio as the body with the
 * fields in the query string). Answers verbose_json unless asked otherwise.
 */
final class SeedEndpoint extends TranscriptionEndpoint {
    private static final long serialVersionUID = 1L;

    SeedEndpoint(Dependencies deps) {
        super(deps);
    }

    @Override
    Upload read(HttpServletRequest req) throws IOException {
        String type = contentType(req);
        if (type.startsWith("multipart/form-data")) {
            return Upload.multipart(req, spool());
        }
        if (type.startsWith("application/json")) {
            return Upload.json(req);
        }
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return Upload.form(req);
        }
        return Upload.raw(req, spool());
    }

    @Override
    TranscriptionOptions options(HttpServletRequest req, RequestFields fields) {
        return TranscriptionOptions.from(fields, fields.flag("translate"), ResponseFormat.VERBOSE_JSON);
    }
}
