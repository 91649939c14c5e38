package io.github.whisperjava.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A request's parameters by name, from a multipart form, a JSON object or a query string alike, each
 * checked with a 400 that names it.
 */
final class RequestFields {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private final Map<String, List<String>> values;

    RequestFields(Map<String, List<String>> values) {
        this.values = new LinkedHashMap<>(values);
    }

    /**
     * The last value of {@code name}. A control character in it (a NUL, say) is a 400: such a value was
     * accepted with the character stripped by trim(), so {@code language=en%00} passed as "en".
     */
    String text(String name, String fallback) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? fallback : checked(name, v.get(v.size() - 1));
    }

    private static String checked(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                throw ApiException.badParameter(name, name + " holds a control character (U+"
                        + String.format(Locale.ROOT, "%04X", (int) c) + ")");
            }
        }
        return value;
    }

    /** Every value of {@code name}; OpenAI's clients send arrays as {@code name[]}, repeated. */
    List<String> all(String name) {
        List<String> v = values.get(name + "[]");
        String key = v != null ? name + "[]" : name;
        List<String> all = v != null ? v : values.getOrDefault(name, List.of());
        all.forEach(x -> checked(key, x));
        return all;
    }

    float number(String name, float fallback, float min, float max) {
        String v = text(name, null);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        // a decimal number only: Float.parseFloat also takes 0x1p0, NaN, Infinity and a trailing f or d
        if (!DECIMAL.matcher(v.strip()).matches()) {
            throw ApiException.badParameter(name, name + " must be a number, got \"" + v + "\"");
        }
        float f = Float.parseFloat(v.strip());
        if (!(f >= min && f <= max)) {
            throw ApiException.badParameter(name, name + " must be between " + min + " and " + max + ", got " + v);
        }
        return f;
    }

    boolean flag(String name) {
        String v = text(name, null);
        if (v == null) {
            return false;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "", "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw ApiException.badParameter(name, name + " must be true or false, got \"" + v + "\"");
        };
    }

    boolean has(String name) {
        return values.containsKey(name);
    }
}
