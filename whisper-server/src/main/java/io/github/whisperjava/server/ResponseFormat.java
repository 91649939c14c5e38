package io.github.whisperjava.server;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** OpenAI's {@code response_format} values, which both APIs take. */
enum ResponseFormat {
    JSON, TEXT, SRT, VTT, VERBOSE_JSON;

    static ResponseFormat of(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("response_format", "response_format must be one of "
                    + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                    + ", got \"" + value + "\"");
        }
    }
}
