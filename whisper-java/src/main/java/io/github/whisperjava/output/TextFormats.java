package io.github.whisperjava.output;

import io.github.whisperjava.Segment;
import io.github.whisperjava.Transcript;
import java.util.Locale;

/** whisper-cli's plain formats: txt, vtt, srt, csv, lrc (examples/cli/cli.cpp, output_*). */
final class TextFormats {
    private TextFormats() {}

    static String txt(Transcript t) {
        StringBuilder b = new StringBuilder();
        for (Segment s : t.segments()) {
            b.append(s.text()).append('\n');
        }
        return b.toString();
    }

    static String vtt(Transcript t) {
        StringBuilder b = new StringBuilder("WEBVTT\n\n");
        for (Segment s : t.segments()) {
            b.append(timestamp(s.startMs(), '.')).append(" --> ").append(timestamp(s.endMs(), '.')).append('\n');
            b.append(s.text()).append("\n\n");
        }
        return b.toString();
    }

    static String srt(Transcript t) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (Segment s : t.segments()) {
            b.append(++i).append('\n');
            b.append(timestamp(s.startMs(), ',')).append(" --> ").append(timestamp(s.endMs(), ',')).append('\n');
            b.append(s.text()).append("\n\n");
        }
        return b.toString();
    }

    static String csv(Transcript t) {
        StringBuilder b = new StringBuilder("start,end,text\n");
        for (Segment s : t.segments()) {
            // RFC 4180: a double quote is escaped by another
            b.append(s.startMs()).append(',').append(s.endMs()).append(",\"")
                    .append(s.text().replace("\"", "\"\"")).append("\"\n");
        }
        return b.toString();
    }

    static String lrc(Transcript t) {
        StringBuilder b = new StringBuilder("[by:whisper.cpp]\n");
        for (Segment s : t.segments()) {
            long ms = s.startMs();
            b.append(String.format(Locale.ROOT, "[%02d:%02d.%02d]", ms / 60_000, ms % 60_000 / 1000, ms % 1000 / 10));
            b.append(s.text()).append('\n');
        }
        return b.toString();
    }

    /** whisper-cli's to_timestamp: hh:mm:ss, then {@code separator} and milliseconds. */
    static String timestamp(long ms, char separator) {
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms % 3_600_000 / 60_000, ms % 60_000 / 1000,
                separator, ms % 1000);
    }
}
