package io.github.whisperjava;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        return io.github.whisperjava.internal.FittedWindow.compressionRatio(text);
    }

    /**
     * The words of this segment (see {@link Word}), with times when the transcription asked for
     * {@link TranscribeParams#tokenTimestamps()}. A character split between two tokens is whole here,
     * as in {@link #text()}.
     */
    public List<Word> words() {
        List<Word> words = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long start = -1;
        long end = -1;
        double p = 0;
        int n = 0;
        for (Token t : tokens) {
            if (t.special()) {
                continue;
            }
            byte[] b = t.bytes();
            if (n > 0 && b.length > 0 && b[0] == ' ') {
                words.add(word(bytes, start, end, p, n));
                bytes.reset();
                p = 0;
                n = 0;
            }
            if (n == 0) {
                start = t.startMs();
            }
            bytes.writeBytes(b);
            end = t.endMs();
            p += t.probability();
            n++;
        }
        if (n > 0) {
            words.add(word(bytes, start, end, p, n));
        }
        words.removeIf(w -> w.text().isEmpty());
        return words;
    }

    private static Word word(ByteArrayOutputStream bytes, long start, long end, double p, int n) {
        String text = new String(bytes.toByteArray(), StandardCharsets.UTF_8).strip();
        return new Word(text, start, end, (float) (p / n), n);
    }
}
