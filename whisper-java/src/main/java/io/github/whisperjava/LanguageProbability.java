package io.github.whisperjava;

import io.github.whisperjava.internal.LanguageNames;

/**
 * One of whisper's languages with the probability the model gives it for some audio.
 *
 * @param code whisper's code for it ({@code "en"}, {@code "de"}, {@code "zh"}, ...)
 * @param probability 0..1; over all of whisper's languages they add up to 1
 */
public record LanguageProbability(String code, float probability) {
    /**
     * whisper's English name for {@code code}, lower case as whisper.cpp spells it ({@code "en"}:
     * {@code "english"}; the name OpenAI's API answers with), or {@code code} itself for a code whisper
     * does not know.
     */
    public static String nameOf(String code) {
        String name = LanguageNames.of(code);
        return name == null ? code : name;
    }
}
