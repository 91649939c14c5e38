package io.github.whisperjava.examples;

import io.github.whisperjava.LivePartial;
import io.github.whisperjava.LiveUtterance;
import io.github.whisperjava.WhisperException;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code live} command's text output: each final on its own line with its times, as the file
 * listing prints segments; with {@code partials}, the utterance being spoken redrawn in place after
 * them (carriage return and erase), which only a terminal shows as one line.
 */
final class LivePrinter implements LiveOutput {
    private static final String REDRAW = "\r\033[K";

    private final PrintStream out;
    private final PrintStream err;
    private final boolean partials;
    private final AtomicInteger errors = new AtomicInteger();
    private boolean partialShown; // only the session's worker thread prints

    LivePrinter(PrintStream out, PrintStream err, boolean partials) {
        this.out = out;
        this.err = err;
        this.partials = partials;
    }

    @Override
    public void onPartial(LivePartial p) {
        if (partials) {
            out.print(REDRAW + ConsoleFormat.span(p.startMs(), p.endMs()) + " " + p.text().strip());
            out.flush();
            partialShown = true;
        }
    }

    @Override
    public void onFinal(LiveUtterance u) {
        String text = u.text().strip();
        out.println((partialShown ? REDRAW : "") + ConsoleFormat.span(u.startMs(), u.endMs())
                + (text.isEmpty() ? "" : " " + text));
        out.flush();
        partialShown = false;
    }

    @Override
    public void onError(WhisperException e) {
        errors.incrementAndGet();
        if (partialShown) {
            out.print(REDRAW);
            out.flush();
            partialShown = false;
        }
        err.println("transcribe: live: " + TranscribeCli.oneLine(e));
    }

    @Override
    public int errors() {
        return errors.get();
    }
}
