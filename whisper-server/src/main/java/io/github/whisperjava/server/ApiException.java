package io.github.whisperjava.server;

/**
 * A request the service answers with an error: the HTTP status, and the fields of OpenAI's error body
 * ({@code {"error": {"message", "type", "param", "code"}}}) so that OpenAI's clients report it as they
 * would OpenAI's own.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    final String param;
    final String code;
    /** Seconds for a Retry-After header, or 0 for none. */
    final int retryAfterSeconds;

    private ApiException(int status, String type, String param, String code, String message, int retryAfterSeconds) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400: the named parameter is missing or wrong. */
    static ApiException badParameter(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, "invalid_value", message, 0);
    }

    /** 413: the body or the audio is larger or longer than this service accepts. */
    static ApiException tooLarge(String param, String message) {
        return new ApiException(413, "invalid_request_error", param, "too_large", message, 0);
    }

    /** 503 with Retry-After: every whisper state stayed busy, or the service is stopping. */
    static ApiException unavailable(String message, int retryAfterSeconds) {
        return new ApiException(503, "server_error", null, "overloaded", message, retryAfterSeconds);
    }

    /** 504: the transcription (or the download of audio_url) took longer than allowed and was cancelled. */
    static ApiException timeout(String message) {
        return new ApiException(504, "server_error", null, "timeout", message, 0);
    }

    /** 502: audio_url could not be fetched. */
    static ApiException upstream(String message) {
        return new ApiException(502, "invalid_request_error", "audio_url", "fetch_failed", message, 0);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "invalid_request_error", null, "not_found", message, 0);
    }

    static ApiException methodNotAllowed(String message) {
        return new ApiException(405, "invalid_request_error", null, "method_not_allowed", message, 0);
    }

    static ApiException internal(String message) {
        return new ApiException(500, "server_error", null, null, message, 0);
    }
}
