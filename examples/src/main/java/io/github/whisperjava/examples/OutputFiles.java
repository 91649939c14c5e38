package io.github.whisperjava.examples;

import io.github.whisperjava.Transcript;
import io.github.whisperjava.output.OutputContext;
import io.github.whisperjava.output.OutputFormat;
import io.github.whisperjava.output.TranscriptWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Writes a transcript in each requested format with the library's writer, as whisper-cli names the
 * files, each whole or not at all ({@link AtomicFile}).
 */
final class OutputFiles {
    static final String STDOUT = "-";

    private final List<OutputFormat> formats;
    private final OutputContext context;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean quiet;

    OutputFiles(List<OutputFormat> formats, OutputContext context, PrintStream out, PrintStream err, boolean quiet) {
        this.formats = formats;
        this.context = context;
        this.out = out;
        this.err = err;
        this.quiet = quiet;
    }

    /** The file of one format for a base: {@code base + extension}, as whisper-cli's {@code -of base}. */
    static Path fileFor(String base, OutputFormat format) {
        Path b = Paths.get(base);
        return b.resolveSibling(b.getFileName() + format.extension());
    }

    /** Whether the results of the file with this base go to stdout, which then carries nothing else. */
    boolean takeStdout(String base) {
        return !formats.isEmpty() && base.equals(STDOUT);
    }

    /** Writes {@code base + extension} for each format, or the first format to stdout for {@code -}. */
    void write(Transcript transcript, String base) {
        if (takeStdout(base)) {
            out.print(TranscriptWriter.format(transcript, formats.get(0), context));
            out.flush();
            if (formats.size() > 1) {
                err.println("warning: not writing more than one format to stdout (" + formats.get(0).id() + " only)");
            }
            return;
        }
        for (OutputFormat format : formats) {
            Path file = fileFor(base, format);
            try {
                AtomicFile.write(file, TranscriptWriter.format(transcript, format, context).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + file + ": " + WriteFailure.why(file, e), e);
            }
            if (!quiet) {
                err.println("saved " + format.id() + " output to '" + file + "'");
            }
        }
    }
}
