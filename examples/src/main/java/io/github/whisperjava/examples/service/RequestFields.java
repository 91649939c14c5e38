package io.github.whisperjava.examples.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's parameters by name, from a multipart form, a JSON object or a query string alike, each
 * checked with a 400 that names it.
 */
final class RequestFields {
    private final Map<String, List<String>> values;

    RequestFields(Map<String, List<String>> values) {
        this.values = new LinkedHashMap<>(values);
    }

    String text(String name, String fallback) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? fallback : v.get(v.size() - 1);
    }

    /** Every value of {@code name}; OpenAI's clients send arrays as {@code name[]}, repeated. */
    List<String> all(String name) {
        List<String> v = values.get(name + "[]");
        return v != null ? v : values.getOrDefault(name, List.of());
    }

    float number(String name, float fallback, float min, float max) {
        String v = text(name, null);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        float f;
        try {
            f = Float.parseFloat(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(name, name + " must be a number, got \"" + v + "\"");
        }
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
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "", "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw ApiException.badParameter(name, name + " must be true or false, got \"" + v + "\"");
        };
    }

    boolean has(String name) {
        return values.containsKey(name);
    }
}
