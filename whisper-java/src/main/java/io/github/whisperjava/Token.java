package io.github.whisperjava;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One decoded token.
 *
 * <p>A token is a run of bytes, not of characters: whisper's byte-level vocabulary can cut one
 * character's UTF-8 bytes across two tokens (common in CJK, emoji and many accented letters). {@link #text()}
 * decodes this token alone and shows such a fragment as U+FFFD; {@link Segment#text()} and
 * {@link Word#text()} are decoded from the joined {@link #bytes()} and are whole.
 *
 * @param id vocabulary id
 * @param text this token's bytes decoded on their own (special tokens such as {@code [_BEG_]} as whisper.cpp names them)
 * @param probability the model's probability for this token, 0..1
 * @param startMs token start in milliseconds, or -1 unless token timestamps were requested
 * @param endMs token end in milliseconds, or -1 unless token timestamps were requested
 * @param dtwMs the token's time from dynamic time warping over the model's alignment heads, or -1 unless
 *     the model was loaded with {@link ModelOptions#dtwTokenTimestamps()}
 * @param bytes the token's bytes as the vocabulary holds them (a copy is returned)
 * @param special whether this is one of whisper's control tokens (timestamps, end of text, ...), not text
 */
public record Token(int id, String text, float probability, long startMs, long endMs, long dtwMs, byte[] bytes,
        boolean special) {
    public Token {
        bytes = bytes == null ? text.getBytes(StandardCharsets.UTF_8) : bytes.clone();
    }

    /** A text token with the given times and no DTW time; its bytes are {@code text}'s UTF-8. */
    public Token(int id, String text, float probability, long startMs, long endMs) {
        this(id, text, probability, startMs, endMs, -1, null, false);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The same token at other times (the DTW time moves by the same shift as the start). */
    public Token withTimes(long start, long end, long dtw) {
        return new Token(id, text, probability, start, end, dtw, bytes, special);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Token t && id == t.id && text.equals(t.text)
                && Float.compare(probability, t.probability) == 0 && startMs == t.startMs && endMs == t.endMs
                && dtwMs == t.dtwMs && Arrays.equals(bytes, t.bytes) && special == t.special;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * id + Arrays.hashCode(bytes)) + Long.hashCode(startMs);
    }

    @Override
    public String toString() {
        return "Token[id=" + id + ", text=" + text + ", p=" + probability + ", " + startMs + "-" + endMs
                + (dtwMs >= 0 ? ", dtw=" + dtwMs : "") + (special ? ", special" : "") + "]";
    }
}
