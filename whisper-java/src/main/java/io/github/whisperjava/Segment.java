package io.github.whisperjava;

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
}
