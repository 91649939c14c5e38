package io.github.whisperjava;

/**
 * One word of a segment, built from its text tokens: a word starts at a token whose text starts with
 * a space (whisper's tokens carry the space before a word) and takes every token up to the next.
 * Scripts written without spaces (Chinese, Japanese, Thai) come out as one word per run of tokens
 * between spaces; the times are still those of the tokens.
 *
 * @param text the word, decoded from its tokens' joined bytes, without the leading space
 * @param startMs start of its first token, or -1 unless token timestamps were requested
 * @param endMs end of its last token, or -1 unless token timestamps were requested
 * @param probability the mean of its tokens' probabilities
 * @param tokens how many tokens make it up
 */
public record Word(String text, long startMs, long endMs, float probability, int tokens) {}
