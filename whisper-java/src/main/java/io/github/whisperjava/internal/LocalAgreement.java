package io.github.whisperjava.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Which words of a partial transcript are stable, as whisper_streaming decides it (local agreement of two):
 * the words two consecutive decodes of the growing audio agree on, from the start, are kept, and no later
 * partial takes them back. One utterance at a time; {@link #reset()} between utterances.
 */
public final class LocalAgreement {
    private List<String> previous = List.of();
    private List<String> stable = List.of();

    /** Takes a new decode; returns {stable text, the rest of this decode}. */
    public String[] accept(String text) {
        List<String> words = words(text);
        int agreed = 0;
        while (agreed < words.size() && agreed < previous.size() && words.get(agreed).equals(previous.get(agreed))) {
            agreed++;
        }
        if (agreed > stable.size() && startsWithStable(words)) {
            stable = List.copyOf(words.subList(0, agreed));
        }
        previous = words;
        List<String> rest = startsWithStable(words) ? words.subList(stable.size(), words.size())
                : words.subList(Math.min(stable.size(), words.size()), words.size());
        return new String[] {String.join("", stable), String.join("", rest)};
    }

    private boolean startsWithStable(List<String> words) {
        return words.size() >= stable.size() && words.subList(0, stable.size()).equals(stable);
    }

    public void reset() {
        previous = List.of();
        stable = List.of();
    }

    /** Words with their leading space kept, so that joining them gives the text back. */
    static List<String> words(String text) {
        String[] parts = text.split("(?=\\s)");
        return Arrays.stream(parts).filter(w -> !w.isBlank()).toList();
    }
}
