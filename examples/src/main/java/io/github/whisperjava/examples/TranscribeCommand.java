package io.github.whisperjava.examples;

import io.github.whisperjava.CallOptions;
import io.github.whisperjava.LanguageDetection;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.TranscriptionListener;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.audio.AudioDecoder;
import io.github.whisperjava.output.OutputContext;
import io.github.whisperjava.output.OutputFormat;
import io.github.whisperjava.server.ServeCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Loads the model once and transcribes each file (N at a time with {@code --jobs}), printing each
 * file's segments with timestamps and its text in the order given, and writing whisper-cli's output
 * files when asked; or, with {@code -dl}, only detects each file's language.
 */
@Command(name = "transcribe", sortOptions = false, usageHelpWidth = 110, versionProvider = TranscribeCommand.Version.class,
        synopsisHeading = "usage: ", customSynopsis = {"java -jar transcribe.jar [options] FILE...",
                "       java -jar transcribe.jar models list | models pull SIZE [QUANT]",
                "       java -jar transcribe.jar live [options] - (raw PCM on stdin; live --help)",
                "       java -jar transcribe.jar serve [--host H] [--port P] ... (serve --help)"},
        description = {"", "whisper-cli's flags over whisper-java: the model is loaded once for all files.", ""},
        footer = {"", "whisper-cli's other flags (-p, -di, --grammar, ...) are refused with the reason; "
                + "docs/cli.md maps every one."},
        subcommands = {ModelsCommand.class, LiveCommand.class, ServeCommand.class})
final class TranscribeCommand implements Callable<Integer> {
    final InputStream in;
    final PrintStream out;
    final PrintStream err;

    @Spec
    CommandSpec spec;

    @Mixin
    InputFiles inputs;

    @Mixin
    ModelFlags model;

    @Mixin
    DecodingFlags decoding;

    @Mixin
    OutputFlags output;

    @Mixin
    VadFlags vad;

    @Option(names = {"-dl", "--detect-language"},
            description = "print each file's most probable languages, with their probabilities, and transcribe nothing")
    boolean detectLanguage;

    @Option(names = {"-pp", "--print-progress"}, description = "print each file's progress on stderr")
    boolean printProgress;

    @Option(names = {"-np", "--no-prints"}, description = "print nothing but the results (no log, no progress)")
    boolean noPrints;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "whisper.cpp's version")
    boolean version;

    TranscribeCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        List<Path> files;
        TranscribeParams params;
        List<OutputFormat> formats;
        try {
            files = inputs.files();
            model.check();
            output.check(files.size());
            formats = output.formats();
            if (!detectLanguage) {
                OutputTargets.checkDistinct(files, formats, output);
            }
            params = decoding.params(vad.options(), formats.contains(OutputFormat.JSON_FULL));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (noPrints) {
            // slf4j-simple reads this once, when its first logger is made: here, before the library's
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "off");
        }
        createOutputDir();
        Batch batch = new Batch(model.jobs, err);
        try (Whisper whisper = Whisper.load(model.resolve(noPrints ? null : new ModelsCommand.ProgressBar(err)),
                model.options())) {
            if (detectLanguage) {
                return batch.run(files, file -> sayWhatItIs(file, () -> whisper.detectLanguage(samples(file), params)),
                        (i, d) -> out.println(ConsoleFormat.languageLine(files.get(i), d)));
            }
            OutputFiles writer = new OutputFiles(formats, new OutputContext(whisper.info(), model.argument(whisper),
                    params.language(), params.translate(), Whisper.systemInfo()), out, err, noPrints);
            ConsoleFormat console = new ConsoleFormat(out, whisper.info().type(), !params.noTimestamps(),
                    decoding.wordTimestamps);
            Batch.Task<Transcript> transcribe = file -> sayWhatItIs(file,
                    () -> whisper.transcribe(file, params, CallOptions.none().withListener(progress(file))));
            return batch.run(files, transcribe, (i, t) -> {
                String base = output.base(i, files.get(i));
                if (!writer.takeStdout(base)) {
                    console.print(files.get(i), t);
                }
                writer.write(t, base);
            });
        }
    }

    /**
     * The audio read by {@code read}; when it fails on a path that is no regular file (/dev/null reads
     * as "empty"), the message also says what the path is. A directory's message already says so.
     */
    private static <R> R sayWhatItIs(Path file, Supplier<R> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            if (!Files.exists(file) || Files.isRegularFile(file) || Files.isDirectory(file)) {
                throw e;
            }
            throw new IllegalStateException(TranscribeCli.oneLine(e) + " (" + file + " is " + PathKind.of(file) + ")", e);
        }
    }

    /** The audio for language detection: WAV, MP3, FLAC or Ogg Vorbis, as transcribe(Path) reads it. */
    private static float[] samples(Path file) {
        return AudioDecoder.decode16kMono(file);
    }

    private TranscriptionListener progress(Path file) {
        if (!printProgress || noPrints) {
            return null;
        }
        return new TranscriptionListener() {
            private int lastStep = -1;

            @Override
            public void onProgress(int percent) {
                if (percent / 5 != lastStep) { // whisper-cli's step: every 5%
                    lastStep = percent / 5;
                    err.println(file + ": progress = " + percent + "%");
                }
            }
        };
    }

    private void createOutputDir() {
        if (output.dir != null) {
            try {
                Files.createDirectories(output.dir);
            } catch (IOException e) {
                throw new UncheckedIOException("could not create --output-dir " + output.dir, e);
            }
        }
    }

    /** {@code --version}: whisper.cpp's version, as whisper-cli prints it. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"whisper.cpp version: " + Whisper.whisperCppVersion()};
        }
    }
}
