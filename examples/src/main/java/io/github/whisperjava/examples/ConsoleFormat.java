package io.github.whisperjava.examples;

import io.github.whisperjava.LanguageDetection;
import io.github.whisperjava.LanguageProbability;
import io.github.whisperjava.Segment;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.Word;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the CLI prints on stdout for each file: a header, the segments with their times, the text. */
final class ConsoleFormat {
    private final PrintStream out;
    private final String modelType;
    private final boolean timestamps;
    private final boolean words;

    ConsoleFormat(PrintStream out, String modelType, boolean timestamps, boolean words) {
        this.out = out;
        this.modelType = modelType;
        this.timestamps = timestamps;
        this.words = words;
    }

    void print(Path file, Transcript t) {
        out.println("== " + file + " (" + modelType + " model, language " + t.language() + ")");
        for (Segment s : t.segments()) {
            out.println(timestamps ? span(s.startMs(), s.endMs()) + " " + s.text().strip() : s.text().strip());
            if (words) {
                for (Word w : s.words()) {
                    out.println("    " + span(w.startMs(), w.endMs()) + " " + w.text().strip());
                }
            }
        }
        out.println("text: " + t.text());
    }

    /** whisper-cli -dl's answer, one line: {@code jfk.wav: en (p = 0.977120); next: de (p = 0.004), ...}. */
    static String languageLine(Path file, LanguageDetection d) {
        String next = d.ranked().stream().skip(1).limit(2).map(ConsoleFormat::language).collect(Collectors.joining(", "));
        return file + ": " + language(d.ranked().get(0)) + (next.isEmpty() ? "" : "; next: " + next);
    }

    private static String language(LanguageProbability l) {
        return String.format(Locale.ROOT, "%s (p = %.6f)", l.code(), l.probability());
    }

    static String span(long startMs, long endMs) {
        return "[" + time(startMs) + " --> " + time(endMs) + "]";
    }

    static String time(long ms) {
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                ms % 1000);
    }
}
