package io.github.whisperjava;

import java.util.Objects;

/**
 * The current utterance as decoded so far. {@code stableText} is what two consecutive decodes agreed on
 * (whisper_streaming's local agreement): later partials of this utterance start with it. The rest may
 * still change. Like {@link Transcript#text()}, the text has no leading space. The final text comes from
 * one decode of the whole utterance and can differ from both.
 */
public record LivePartial(int utterance, long startMs, long endMs, String stableText, String unstableText) {
    public LivePartial {
        Objects.requireNonNull(stableText, "stableText");
        Objects.requireNonNull(unstableText, "unstableText");
    }

    /** Stable and unstable text together. */
    public String text() {
        return stableText + unstableText;
    }
}
