package io.github.whisperjava;

import io.github.whisperjava.internal.CompressionRatio;
import io.github.whisperjava.internal.Utf8;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A span of recognised speech.
 *
 * @param index position in the transcript, from 0
 * @param startMs start in milliseconds from the beginning of the audio
 * @param endMs end in milliseconds
 * @param text the text as whisper.cpp produced it (usually with a leading space)
 * @param tokens the tokens that make up the text
 * @param noSpeechProbability whisper's estimate that this span holds no speech
 * @param speakerTurnNext true when tinydiarize detected a speaker turn after this segment
 */
public record Segment(int index, long startMs, long endMs, String text, List<Token> tokens,
        float noSpeechProbability, boolean speakerTurnNext) {
    public Segment {
        tokens = List.copyOf(tokens);
    }

    /**
     * How much the text repeats itself: its UTF-8 length over its deflated length, as OpenAI's whisper
     * measures it (above 2.4, whisper treats a decoding as failed); 0 for empty text.
     */
    public double compressionRatio() {
        return CompressionRatio.of(text);
    }

    /**
     * The words of this segment (see {@link Word}), with times when the transcription asked for
     * {@link TranscribeParams#tokenTimestamps()}: the segments whisper-cli's {@code -ml 1 -sow} would
     * print, one per word. A character split between two tokens is whole here, as in {@link #text()},
     * also when whisper.cpp ended the segment between them.
     */
    public List<Word> words() {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        boolean timed = false;
        for (Token t : tokens) {
            if (!t.special()) {
                joined.writeBytes(t.bytes());
                timed |= t.startMs() >= 0;
            }
        }
        // text() is the bytes the segment before left unfinished, then the tokens' bytes less an
        // unfinished character at the end (ResultReader): the same split of bytes here
        byte[] own = joined.toByteArray();
        int dropped = Utf8.incompleteTail(own, own.length);
        byte[] text = this.text.getBytes(StandardCharsets.UTF_8);
        int carried = text.length - (own.length - dropped);
        if (carried < 0 || !Arrays.equals(text, carried, text.length, own, 0, own.length - dropped)) {
            carried = 0; // not text made of these tokens (a segment built by hand): the tokens alone
        }

        List<Word> words = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(text, 0, carried);
        int remaining = own.length - dropped; // token bytes still to take into words
        long start = startMs;
        int chars = 0;
        double p = 0;
        int n = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.special()) {
                continue;
            }
            byte[] b = t.bytes();
            int cur = characters(b);
            // whisper_wrap_segment with max_len 1 and split_on_word: a token that starts with a space
            // starts a new part once the part has a character; the part ends where that token starts
            if (i > 0 && chars + cur > 1 && b.length > 0 && b[0] == ' ') {
                if (n > 0) {
                    words.add(word(bytes, timed ? start : -1, timed ? t.startMs() : -1, p, n));
                    bytes.reset();
                } // else no token yet (a leading timestamp token): bytes carried from the segment before stay
                start = t.startMs();
                chars = 0;
                p = 0;
                n = 0;
            }
            bytes.write(b, 0, Math.max(0, Math.min(b.length, remaining)));
            remaining -= b.length;
            chars += cur;
            p += t.probability();
            n++;
        }
        if (n > 0) {
            words.add(word(bytes, timed ? start : -1, timed ? endMs : -1, p, n));
        }
        words.removeIf(w -> w.text().isEmpty());
        return words;
    }

    /** whisper.cpp's utf8_len: the bytes that are not continuation bytes. */
    private static int characters(byte[] b) {
        int count = 0;
        for (byte x : b) {
            if ((x & 0xC0) != 0x80) {
                count++;
            }
        }
        return count;
    }

    private static Word word(ByteArrayOutputStream bytes, long start, long end, double p, int n) {
        String text = new String(bytes.toByteArray(), StandardCharsets.UTF_8).strip();
        return new Word(text, start, end, (float) (p / n), n);
    }
}
