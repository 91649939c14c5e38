package io.github.whisperjava.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key a client must send as {@code Authorization: Bearer KEY} (what OpenAI's clients send), or none.
 * Only a SHA-256 of it is kept, and a client's key is compared by its digest in constant time, so
 * neither the key's bytes nor its length leak through timing.
 */
final class ApiKey {
    private static final ApiKey NONE = new ApiKey(null);

    private final byte[] digest;

    private ApiKey(byte[] digest) {
        this.digest = digest;
    }

    static ApiKey none() {
        return NONE;
    }

    static ApiKey of(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the API key is empty");
        }
        return new ApiKey(sha256(key.strip()));
    }

    /** From {@code --api-key-file} (its content, stripped) if given, else {@code WHISPER_API_KEY}, else none. */
    static ApiKey from(Path file, String environment) {
        if (file != null) {
            try {
                return of(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --api-key-file " + file + ": " + e.getMessage(), e);
            }
        }
        return environment == null || environment.isBlank() ? NONE : of(environment);
    }

    boolean required() {
        return digest != null;
    }

    /** Whether an {@code Authorization} header value carries the key (always, when none is required). */
    boolean admits(String authorization) {
        if (digest == null) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
