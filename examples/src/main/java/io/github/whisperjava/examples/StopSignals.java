package io.github.whisperjava.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM as calls rather than a JVM exit, while open: the default would run the library's
 * shutdown hook, which cancels the decode of the utterance being spoken, and {@code live} wants to
 * finish that one first. The handler gets the exit code a shell expects (130, 143). Closing restores
 * the handlers found, so an in-process caller (a test) keeps its JVM's own.
 */
final class StopSignals implements AutoCloseable {
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    StopSignals(IntConsumer onSignal) {
        install("INT", 130, onSignal);
        install("TERM", 143, onSignal);
    }

    private void install(String name, int exitCode, IntConsumer onSignal) {
        try {
            Signal s = new Signal(name);
            previous.add(Signal.handle(s, sig -> onSignal.accept(exitCode)));
            signals.add(s);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the VM keeps this signal (-Xrs, or a platform without it): the default exit then applies
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
