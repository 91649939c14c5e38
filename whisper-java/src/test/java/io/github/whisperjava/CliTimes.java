package io.github.whisperjava;

import io.github.whisperjava.audio.WavReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * whisper-cli's output with every time after the audio's end moved back to that end. The library bounds
 * the times it reports by the audio (internal.AudioEndClamp); whisper-cli does not, and on the
 * random-weights fixture's noise its last timestamp often lies seconds past the end of a clip (on every
 * clip of jfk.wav where the parity tests' premises hold, on the machine this was written on). That is the
 * one difference the parity tests allow: everything else must still be whisper-cli's bytes.
 */
final class CliTimes {
    /** hh:mm:ss,mmm (srt, json) or hh:mm:ss.mmm (vtt). */
    private static final Pattern CLOCK = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})([,.])(\\d{3})");
    private static final Pattern LRC = Pattern.compile("\\[(\\d{2,}):(\\d{2})\\.(\\d{2})\\]");
    private static final Pattern CSV = Pattern.compile("(?m)^(\\d+),(\\d+),");
    private static final Pattern JSON_MS = Pattern.compile("\"(from|to)\": (\\d+)");
    private static final Pattern JSON_CS = Pattern.compile("\"t_dtw\": (\\d+)");

    private CliTimes() {}

    /** Bounds the times in each file whisper-cli wrote to {@code base.*} for the 16 kHz WAV {@code audio}. */
    static void bound(Path base, Path audio) throws IOException {
        long endMs = WavReader.read16kMono(audio).length * 1000L / 16_000;
        for (String ext : List.of(".vtt", ".srt", ".csv", ".lrc", ".json")) {
            Path f = base.resolveSibling(base.getFileName() + ext);
            if (Files.exists(f)) {
                Files.writeString(f, bound(Files.readString(f, StandardCharsets.UTF_8), ext, endMs),
                        StandardCharsets.UTF_8);
            }
        }
    }

    static String bound(String text, String ext, long endMs) {
        return switch (ext) {
            case ".vtt", ".srt" -> clocks(text, endMs);
            case ".lrc" -> replace(text, LRC, m -> {
                long ms = Math.min(endMs, Long.parseLong(m.group(1)) * 60_000 + Long.parseLong(m.group(2)) * 1000
                        + Long.parseLong(m.group(3)) * 10);
                return String.format(Locale.ROOT, "[%02d:%02d.%02d]", ms / 60_000, ms % 60_000 / 1000, ms % 1000 / 10);
            });
            case ".csv" -> replace(text, CSV, m -> Math.min(endMs, Long.parseLong(m.group(1))) + ","
                    + Math.min(endMs, Long.parseLong(m.group(2))) + ",");
            case ".json" -> replace(replace(clocks(text, endMs), JSON_MS,
                    m -> "\"" + m.group(1) + "\": " + Math.min(endMs, Long.parseLong(m.group(2)))),
                    JSON_CS, m -> "\"t_dtw\": " + Math.min(endMs / 10, Long.parseLong(m.group(1))));
            default -> text;
        };
    }

    /** Every {@code hh:mm:ss.mmm} (or {@code ,mmm}) time in {@code text}, bounded: for what whisper-cli prints. */
    static String clocks(String text, long endMs) {
        return replace(text, CLOCK, m -> {
            long ms = Math.min(endMs, Long.parseLong(m.group(1)) * 3_600_000 + Long.parseLong(m.group(2)) * 60_000
                    + Long.parseLong(m.group(3)) * 1000 + Long.parseLong(m.group(5)));
            return String.format(Locale.ROOT, "%02d:%02d:%02d%s%03d", ms / 3_600_000, ms % 3_600_000 / 60_000,
                    ms % 60_000 / 1000, m.group(4), ms % 1000);
        });
    }

    private static String replace(String text, Pattern p, Function<MatchResult, String> f) {
        return p.matcher(text).replaceAll(m -> Matcher.quoteReplacement(f.apply(m)));
    }
}
