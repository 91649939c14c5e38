package io.github.whisperjava.examples;

import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Segment;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Whisper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar transcribe.jar --model PATH FILE.wav...}: loads the model once, prints each file's
 * segments with timestamps and its text. Exit code 0 on success, 1 on any error (one line on stderr),
 * 2 on a usage error.
 */
public final class TranscribeCli {
    private TranscribeCli() {}

    static final String USAGE = String.join("\n",
            "usage: java -jar transcribe.jar --model PATH [options] FILE.wav...",
            "  --model PATH       whisper.cpp ggml model file",
            "  --threads N        threads per transcription (default min(4, cores))",
            "  --language CODE    language code, or auto (default en)",
            "  --translate        translate to English",
            "  --beam N           beam search with N beams (default greedy)",
            "  --timeout SECONDS  give up on a file after this long",
            "  --max-tokens N     at most N tokens per segment",
            "  --help             this text");

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("transcribe: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (o.help) {
            out.println(USAGE);
            return 0;
        }
        try (Whisper whisper = Whisper.load(o.model, ModelOptions.defaults().withConcurrency(1))) {
            for (Path file : o.files) {
                Transcript t = whisper.transcribe(file, o.params);
                out.println("== " + file + " (" + whisper.info().type() + " model, language " + t.language() + ")");
                for (Segment s : t.segments()) {
                    out.printf("[%s --> %s] %s%n", time(s.startMs()), time(s.endMs()), s.text().strip());
                }
                out.println("text: " + t.text());
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("transcribe: " + oneLine(e));
            return 1;
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
    }

    static String time(long ms) {
        return String.format("%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    static final class Options {
        Path model;
        final List<Path> files = new ArrayList<>();
        TranscribeParams params;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            TranscribeParams.Builder b = TranscribeParams.builder();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> o.help = true;
                    case "--model", "-m" -> o.model = Paths.get(value(args, ++i, a));
                    case "--threads", "-t" -> b.threads(number(value(args, ++i, a), a));
                    case "--language", "-l" -> b.language(value(args, ++i, a));
                    case "--translate" -> b.translate(true);
                    case "--beam" -> b.beamSearch(number(value(args, ++i, a), a));
                    case "--max-tokens" -> b.maxTokensPerSegment(number(value(args, ++i, a), a));
                    case "--timeout" -> b.timeout(Duration.ofSeconds(number(value(args, ++i, a), a)));
                    default -> {
                        if (a.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        o.files.add(Paths.get(a));
                    }
                }
            }
            if (o.help) {
                return o;
            }
            if (o.model == null) {
                throw new IllegalArgumentException("--model PATH is required");
            }
            if (o.files.isEmpty()) {
                throw new IllegalArgumentException("no audio file given");
            }
            o.params = b.build();
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int number(String s, String option) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number, got " + s);
            }
        }
    }
}
