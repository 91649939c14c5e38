package io.github.whisperjava.internal;

/** UTF-8 byte arithmetic for text that arrives token by token, cut anywhere. */
public final class Utf8 {
    private Utf8() {}

    /**
     * How many bytes at the end of {@code b[0..len)} are the start of a character whose remaining bytes
     * have not arrived (whisper-cli's utf8_trailing_bytes_needed, counted from the other side): 0 when
     * the bytes end on a whole character, or end in bytes that are no UTF-8 at all.
     */
    public static int incompleteTail(byte[] b, int len) {
        int i = len - 1;
        while (i >= 0 && (b[i] & 0xC0) == 0x80 && len - i < 4) {
            i--;
        }
        if (i < 0) {
            return 0;
        }
        int lead = b[i] & 0xFF;
        int expected = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 1;
        int have = len - i;
        return have < expected ? have : 0;
    }

    /** Whether {@code b} ends in the middle of a character (whisper-cli merges the next token into it). */
    public static boolean needsMore(byte[] b, int len) {
        return incompleteTail(b, len) > 0;
    }
}
