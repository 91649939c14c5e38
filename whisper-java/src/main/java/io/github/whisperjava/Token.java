package io.github.whisperjava;

/**
 * One decoded token.
 *
 * @param id vocabulary id
 * @param text the token's text (special tokens such as {@code [_BEG_]} included as whisper.cpp names them)
 * @param probability the model's probability for this token, 0..1
 * @param startMs token start in milliseconds, or -1 unless token timestamps were requested
 * @param endMs token end in milliseconds, or -1 unless token timestamps were requested
 */
public record Token(int id, String text, float probability, long startMs, long endMs) {}
