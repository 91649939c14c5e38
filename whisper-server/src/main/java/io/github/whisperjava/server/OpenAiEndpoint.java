package io.github.whisperjava.server;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * OpenAI's {@code POST /v1/audio/transcriptions} and {@code /v1/audio/translations}: a multipart form with
 * {@code file}, {@code model} (accepted; the loaded model answers and the response names it),
 * {@code language}, {@code prompt}, {@code temperature}, {@code response_format} and
 * {@code timestamp_granularities[]} and {@code stream} (transcriptions only, as at OpenAI:
 * {@link TranscriptEventStream}). Answers json unless asked otherwise, as OpenAI does.
 */
final class OpenAiEndpoint extends TranscriptionEndpoint {
    private static final long serialVersionUID = 1L;

    OpenAiEndpoint(Dependencies deps) {
        super(deps);
    }

    @Override
    Upload read(HttpServletRequest req) throws IOException {
        String type = contentType(req);
        if (!type.startsWith("multipart/form-data")) {
            throw ApiException.badParameter("file", "send the audio as multipart/form-data with a file field");
        }
        Upload upload = Upload.multipart(req, spool());
        if (upload.audio() == null) {
            throw ApiException.badParameter("file", "the form has no file field");
        }
        return upload;
    }

    @Override
    TranscriptionOptions options(HttpServletRequest req, RequestFields fields) {
        boolean translate = req.getRequestURI().endsWith("/translations");
        if (!translate && !req.getRequestURI().endsWith("/transcriptions")) {
            throw ApiException.notFound("no such endpoint: " + req.getRequestURI());
        }
        if (fields.text("audio_url", null) != null) {
            throw ApiException.badParameter("audio_url", "OpenAI's endpoints take a file; audio_url is for /transcribe");
        }
        if (translate && fields.flag("stream")) {
            throw ApiException.badParameter("stream", "OpenAI's translations endpoint does not stream; /v1/audio/transcriptions does");
        }
        return TranscriptionOptions.from(fields, translate, ResponseFormat.JSON);
    }
}
