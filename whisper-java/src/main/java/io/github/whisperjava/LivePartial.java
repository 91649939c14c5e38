package io.github.whisperjava;

/**
 * The current utterance as decoded so far. {@code stableText} is what two consecutive decodes agreed on
 * (whisper_streaming's local agreement): later partials of this utterance start with it. The rest may
 * still change. The final text comes from one decode of the whole utterance and can differ from both.
 */
public record LivePartial(int utterance, long startMs, long endMs, String stableText, String unstableText) {
    public LivePartial {
        java.util.Objects.requireNonNull(stableText, "stableText");
        java.util.Objects.requireNonNull(unstableText, "unstableText");
    }

    /** Stable and unstable text together. */
    public String text() {
        return stableText + unstableText;
    }
}
