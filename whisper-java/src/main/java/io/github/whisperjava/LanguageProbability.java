package io.github.whisperjava;

/**
 * One of whisper's languages with the probability the model gives it for some audio.
 *
 * @param code whisper's code for it ({@code "en"}, {@code "de"}, {@code "zh"}, ...)
 * @param probability 0..1; over all of whisper's languages they add up to 1
 */
public record LanguageProbability(String code, float probability) {}
