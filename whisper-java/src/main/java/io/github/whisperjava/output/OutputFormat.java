package io.github.whisperjava.output;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The result files whisper-cli writes, with its layouts and file extensions. */
public enum OutputFormat {
    /** Segment texts, one per line ({@code -otxt}). */
    TXT("txt", ".txt"),
    /** WebVTT subtitles ({@code -ovtt}). */
    VTT("vtt", ".vtt"),
    /** SubRip subtitles ({@code -osrt}). */
    SRT("srt", ".srt"),
    /** start,end,text in milliseconds ({@code -ocsv}). */
    CSV("csv", ".csv"),
    /** Lyrics with segment start times ({@code -olrc}). */
    LRC("lrc", ".lrc"),
    /** Model, parameters and segments ({@code -oj}). */
    JSON("json", ".json"),
    /** {@link #JSON} plus every token with its probability and times ({@code -ojf}). */
    JSON_FULL("json-full", ".json");

    private final String id;
    private final String extension;

    OutputFormat(String id, String extension) {
        this.id = id;
        this.extension = extension;
    }

    /** The name used on command lines and in HTTP requests: txt, vtt, srt, csv, lrc, json, json-full. */
    public String id() {
        return id;
    }

    /** What whisper-cli appends to the output file's base name, dot included. */
    public String extension() {
        return extension;
    }

    /** The format named {@code id} (case-insensitive; {@code json_full} and {@code jsonfull} too). */
    public static OutputFormat of(String id) {
        String want = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (OutputFormat f : values()) {
            if (f.id.equals(want) || f.id.replace("-", "").equals(want)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown output format \"" + id + "\": use one of "
                + Arrays.stream(values()).map(OutputFormat::id).collect(Collectors.joining(", ")));
    }
}
