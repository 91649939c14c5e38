package io.github.whisperjava.output;

import io.github.whisperjava.Transcript;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a {@link Transcript} in one of whisper-cli's formats, byte for byte as whisper-cli v1.9.1
 * writes it for the same result (UTF-8). One deliberate difference: the JSON formats escape control
 * characters, which whisper-cli copies raw into its strings, making the file invalid JSON.
 */
public final class TranscriptWriter {
    private TranscriptWriter() {}

    /** The transcript in {@code format}, as text. */
    public static String format(Transcript transcript, OutputFormat format, OutputContext context) {
        Objects.requireNonNull(transcript, "transcript");
        Objects.requireNonNull(format, "format");
        return switch (format) {
            case TXT -> TextFormats.txt(transcript);
            case VTT -> TextFormats.vtt(transcript);
            case SRT -> TextFormats.srt(transcript);
            case CSV -> TextFormats.csv(transcript);
            case LRC -> TextFormats.lrc(transcript);
            case JSON -> JsonFormat.write(transcript, Objects.requireNonNull(context, "context"), false);
            case JSON_FULL -> JsonFormat.write(transcript, Objects.requireNonNull(context, "context"), true);
        };
    }

    /** Writes the transcript in {@code format} to {@code out} (not closed). */
    public static void write(Transcript transcript, OutputFormat format, OutputContext context, OutputStream out)
            throws IOException {
        out.write(format(transcript, format, context).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes the transcript in {@code format} to {@code base + format.extension()}, as whisper-cli's
     * {@code -of base}, and returns that file.
     */
    public static Path writeFile(Transcript transcript, OutputFormat format, OutputContext context, Path base) {
        Path file = base.resolveSibling(base.getFileName() + format.extension());
        try {
            Files.writeString(file, format(transcript, format, context), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        return file;
    }
}
