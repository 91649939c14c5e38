package io.github.whisperjava;

import java.util.List;

/**
 * Which language whisper hears in the first 30 seconds of some audio ({@link Whisper#detectLanguage}).
 *
 * @param ranked every language whisper knows, most probable first
 */
public record LanguageDetection(List<LanguageProbability> ranked) {
    public LanguageDetection {
        ranked = List.copyOf(ranked);
        if (ranked.isEmpty()) {
            throw new IllegalArgumentException("no languages");
        }
    }

    /** The most probable language's code. */
    public String language() {
        return ranked.get(0).code();
    }

    /** The most probable language's probability. */
    public float probability() {
        return ranked.get(0).probability();
    }

    /** The probability of {@code code}, 0 for a code whisper does not know. */
    public float probabilityOf(String code) {
        return ranked.stream().filter(l -> l.code().equals(code)).map(LanguageProbability::probability)
                .findFirst().orElse(0f);
    }
}
