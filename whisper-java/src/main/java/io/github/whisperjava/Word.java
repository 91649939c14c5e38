package io.github.whisperjava;

/**
 * One word of a segment, built from its text tokens: a word starts at a token whose text starts with
 * a space (whisper's tokens carry the space before a word) and takes every token up to the next.
 * Scripts written without spaces (Chinese, Japanese, Thai) come out as one word per run of tokens
 * between spaces. Text and times are those of the segments whisper-cli prints with {@code -ml 1 -sow}
 * (whisper.cpp's whisper_wrap_segment), one word each: a word runs from where its first token starts
 * to where the next word's first token starts (the segment's end, for its last word). The first word
 * starts at the segment's start, or, when the segment opens with a timestamp token, where its first
 * text token starts: whisper-cli prints an empty segment for the time before it, which is no word.
 *
 * @param text the word, decoded from its tokens' joined bytes, without the leading space
 * @param startMs where the word starts, or -1 unless token timestamps were requested
 * @param endMs where the next word starts, or the segment's end; -1 unless token timestamps were requested
 * @param probability the mean of its tokens' probabilities
 * @param tokens how many tokens make it up
 */
public record Word(String text, long startMs, long endMs, float probability, int tokens) {}
