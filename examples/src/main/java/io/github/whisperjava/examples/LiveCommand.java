package io.github.whisperjava.examples;

import io.github.whisperjava.EncoderWindow;
import io.github.whisperjava.LiveOptions;
import io.github.whisperjava.LiveTranscription;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.Whisper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code transcribe.jar live -}: raw PCM from stdin (or a file) into one {@link LiveTranscription},
 * each final printed as it comes. Ends at the end of the input (every final printed, exit 0) or at
 * SIGINT/SIGTERM, which finish the utterance being spoken within {@link #GRACE} (a second signal stops
 * at once) and exit 130/143.
 */
@Command(name = "live", sortOptions = false, usageHelpWidth = 110,
        description = {"Transcribes raw mono PCM as it arrives: arecord -f S16_LE -r 16000 | java -jar transcribe.jar live -",
                "Silero VAD ends each utterance at a pause; its final text is printed on its own line with its times.",
                "On a terminal, the utterance being spoken is redrawn in place as partial text."})
final class LiveCommand implements Callable<Integer> {
    /** How long a signal waits for the utterance being spoken: a fitted-window decode of it, usually far less. */
    static final Duration GRACE = Duration.ofSeconds(10);

    @ParentCommand
    TranscribeCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "- for stdin, or a file of raw PCM (no header)")
    String input;

    @Option(names = {"-r", "--rate"}, paramLabel = "HZ", description = "sample rate of the input (default 16000)")
    int rate = 16_000;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "s16le (16-bit little-endian, arecord -f S16_LE; the default) or f32le (FLOAT_LE)")
    String format = "s16le";

    @Option(names = "--partials", negatable = true,
            description = "redraw the utterance being spoken as partial text (default: when stdout is a terminal)")
    Boolean partials;

    @Option(names = "--partial-interval", paramLabel = "MS",
            description = "new speech between two partial decodes (default 1000)")
    int partialIntervalMs = 1000;

    @Option(names = "--max-utterance", paramLabel = "S",
            description = "an utterance this long is cut at its best pause (default 30)")
    int maxUtteranceSeconds = 30;

    @Option(names = "--json", description = "one JSON object per event and line instead of text")
    boolean json;

    @Mixin
    ModelFlags model;

    @Mixin
    DecodingFlags decoding;

    @Mixin
    VadFlags vad;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    boolean help;

    @Override
    public Integer call() throws InterruptedException {
        SampleFormat sampleFormat;
        LiveOptions options;
        boolean showPartials = partials != null ? partials : json || Terminal.isTerminal(root.out);
        try {
            model.check();
            sampleFormat = sampleFormat();
            options = options(showPartials);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        InputStream in = open();
        LiveOutput output = json ? new LiveJson(root.out, showPartials) : new LivePrinter(root.out, root.err, showPartials);
        try (Whisper whisper = Whisper.load(model.resolve(new ModelsCommand.ProgressBar(root.err)), model.options())) {
            return run(whisper, options, output, in, sampleFormat);
        }
    }

    private int run(Whisper whisper, LiveOptions options, LiveOutput output, InputStream in, SampleFormat sampleFormat)
            throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicInteger signal = new AtomicInteger();
        AtomicReference<Exception> readFailure = new AtomicReference<>();
        LiveTranscription session = whisper.live(options, output);
        try (StopSignals stop = new StopSignals(code -> {
            if (!signal.compareAndSet(0, code)) {
                session.abort(); // a second signal: no more waiting
            }
            ended.countDown();
        })) {
            // a daemon reads: a read blocked on an idle pipe cannot be interrupted, and must not keep the JVM
            Thread reader = new Thread(() -> {
                try {
                    read(in, sampleFormat.feed(session));
                } catch (IOException | IllegalArgumentException e) { // a read error, or f32le that is NaN
                    readFailure.set(e);
                } catch (IllegalStateException closedBySignal) {
                    // the session was closed under it: nothing more to read
                } finally {
                    closeFile(in);
                    ended.countDown();
                }
            }, "whisper-live-input");
            reader.setDaemon(true);
            reader.start();
            ended.await();
            if (signal.get() == 0) {
                session.close();
            } else if (!session.closeWithin(GRACE)) {
                root.err.println("transcribe: live: stopped before the last utterance was transcribed");
            }
        } finally {
            session.abort(); // only if an interrupt came between: after close() it does nothing
        }
        if (readFailure.get() != null) {
            root.err.println("transcribe: live: reading " + input + " failed: " + TranscribeCli.oneLine(readFailure.get()));
            return TranscribeCli.FAILED;
        }
        if (signal.get() != 0) {
            return signal.get();
        }
        return output.errors() > 0 ? TranscribeCli.FAILED : 0;
    }

    private static void read(InputStream in, SampleFormat.Feed feed) throws IOException {
        // a pipe's read returns what has arrived, so this small buffer does not hold audio back
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0; ) {
            if (n > 0) {
                feed.accept(buf, n);
            }
        }
    }

    private void closeFile(InputStream in) {
        if (in != root.in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // read to its end or failed already: nothing left to lose
            }
        }
    }

    private SampleFormat sampleFormat() {
        try {
            return SampleFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format must be s16le or f32le, got " + format);
        }
    }

    private LiveOptions options(boolean showPartials) {
        if (decoding.offsetMs != null || decoding.durationMs != null) {
            throw new IllegalArgumentException("-ot/--offset-t and -d/--duration do not apply to a live stream");
        }
        TranscribeParams params = decoding.params(null, false);
        if (decoding.audioContext == null) {
            // as LiveOptions.DEFAULTS: an utterance is short, and the full 30 s window would cost most of
            // the time from the end of speech to its final
            params = params.toBuilder().encoderWindow(EncoderWindow.FIT_AUDIO).build();
        }
        VadOptions v = vad.options();
        return LiveOptions.DEFAULTS.withParams(params).withVad(v != null ? v : VadOptions.DEFAULTS)
                .withSampleRate(rate)
                .withPartialInterval(showPartials ? Duration.ofMillis(partialIntervalMs) : Duration.ZERO)
                .withMaxUtterance(Duration.ofSeconds(maxUtteranceSeconds))
                .withMaxBuffered(Duration.ofSeconds(Math.max(60, maxUtteranceSeconds)));
    }

    private InputStream open() {
        if (input.equals("-")) {
            return root.in;
        }
        try {
            return Files.newInputStream(Paths.get(input));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(input + ": it does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open " + input, e);
        }
    }
}
