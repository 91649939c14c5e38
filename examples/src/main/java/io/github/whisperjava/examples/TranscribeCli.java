package io.github.whisperjava.examples;

import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Segment;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.models.ModelResolver;
import io.github.whisperjava.models.ModelSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code java -jar transcribe.jar [--model PATH | --model-size SIZE] FILE.wav...}: loads the model once
 * (by default the one the environment names: WHISPER_MODEL_SIZE, ...), prints each file's segments with
 * timestamps and its text, in the order given. Exit code 0 on success; 1 when any file failed (each
 * failure is one line on stderr, and the other files are still printed) or the model could not be
 * loaded; 2 on a usage error; 143/130 when stopped by SIGTERM/SIGINT (running work is cancelled first). {@code models list} and {@code models pull SIZE} manage the model cache.
 */
public final class TranscribeCli {
    private TranscribeCli() {}

    static final String USAGE = String.join("\n",
            "usage: java -jar transcribe.jar [options] FILE.wav...",
            "       java -jar transcribe.jar models list | models pull SIZE [QUANT]",
            "       java -jar transcribe.jar serve [--host H] [--port P] ... (serve --help)",
            "  --model PATH       whisper.cpp ggml model file (default: from WHISPER_MODEL_PATH,",
            "                     WHISPER_MODEL_SIZE and WHISPER_MODEL_QUANT; else small q5_1)",
            "  --model-size SIZE  tiny, base, small, medium, large-v3, ... (.en allowed)",
            "  --jobs N           transcribe N files at once on the one loaded model",
            "  --threads N        threads per transcription (default min(4, cores))",
            "  --language CODE    language code, or auto (default en)",
            "  --translate        translate to English",
            "  --beam N           beam search with N beams (default greedy)",
            "  --timeout SECONDS  give up on a file after this long",
            "  --max-tokens N     at most N tokens per segment",
            "  --fit-window       encode only what a clip under 30 s needs (faster; a result that looks",
            "                     degenerate is transcribed again with the full window)",
            "  --vad              transcribe only the speech Silero VAD finds (times stay the file's;",
            "                     model: WHISPER_VAD_MODEL, else silero-v6.2.0, fetched once)",
            "  --vad-model PATH   Silero VAD model file (implies --vad)",
            "  --vad-threshold P  speech probability threshold, 0..1 (default 0.5; implies --vad)",
            "  --help             this text");

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("serve")) {
            // the CLI moves onto picocli in another branch; there serve becomes a subcommand
            return new picocli.CommandLine(new io.github.whisperjava.examples.service.ServeCommand())
                    .execute(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && args[0].equals("models")) {
            try {
                return ModelsCommand.run(args, out, err);
            } catch (RuntimeException e) {
                err.println("transcribe: " + oneLine(e));
                return 1;
            }
        }
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
        ExecutorService pool = Executors.newFixedThreadPool(o.jobs);
        try (Whisper whisper = Whisper.load(o.resolve(), ModelOptions.defaults().withConcurrency(o.jobs))) {
            List<Future<Transcript>> results = new ArrayList<>();
            for (Path file : o.files) {
                results.add(pool.submit(() -> whisper.transcribe(file, o.params)));
            }
            // every file gets its result or its own error line; one bad file does not hide the others
            int failed = 0;
            for (int i = 0; i < o.files.size(); i++) {
                Transcript t;
                try {
                    t = get(results.get(i));
                } catch (RuntimeException e) {
                    err.println("transcribe: " + o.files.get(i) + ": " + oneLine(e));
                    failed++;
                    continue;
                }
                out.println("== " + o.files.get(i) + " (" + whisper.info().type() + " model, language " + t.language() + ")");
                for (Segment s : t.segments()) {
                    out.printf("[%s --> %s] %s%n", time(s.startMs()), time(s.endMs()), s.text().strip());
                }
                out.println("text: " + t.text());
            }
            if (failed > 0) {
                err.println("transcribe: " + failed + " of " + o.files.size() + " files failed");
                return 1;
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("transcribe: " + oneLine(e));
            return 1;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Transcript get(Future<Transcript> f) {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
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
        String modelSize;
        int jobs = 1;
        final List<Path> files = new ArrayList<>();
        TranscribeParams params;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            TranscribeParams.Builder b = TranscribeParams.builder();
            VadOptions vad = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> o.help = true;
                    case "--model", "-m" -> o.model = Paths.get(value(args, ++i, a));
                    case "--model-size" -> o.modelSize = value(args, ++i, a);
                    case "--jobs", "-j" -> o.jobs = number(value(args, ++i, a), a);
                    case "--threads", "-t" -> b.threads(number(value(args, ++i, a), a));
                    case "--language", "-l" -> b.language(value(args, ++i, a));
                    case "--translate" -> b.translate(true);
                    case "--beam" -> b.beamSearch(number(value(args, ++i, a), a));
                    case "--max-tokens" -> b.maxTokensPerSegment(number(value(args, ++i, a), a));
                    case "--fit-window" -> b.encoderWindow(io.github.whisperjava.EncoderWindow.FIT_AUDIO);
                    case "--timeout" -> b.timeout(Duration.ofSeconds(number(value(args, ++i, a), a)));
                    case "--vad" -> vad = vad == null ? VadOptions.DEFAULTS : vad;
                    case "--vad-model" -> vad = (vad == null ? VadOptions.DEFAULTS : vad)
                            .withModel(Paths.get(value(args, ++i, a)));
                    case "--vad-threshold" -> vad = (vad == null ? VadOptions.DEFAULTS : vad)
                            .withThreshold(decimal(value(args, ++i, a), a));
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
            if (o.model != null && o.modelSize != null) {
                throw new IllegalArgumentException("give --model or --model-size, not both");
            }
            if (o.jobs < 1 || o.jobs > 64) {
                throw new IllegalArgumentException("--jobs must be 1..64, got " + o.jobs);
            }
            if (o.files.isEmpty()) {
                throw new IllegalArgumentException("no audio file given");
            }
            o.params = b.vad(vad).build();
            return o;
        }

        /** The model to load: --model, else --model-size, else whatever the environment says. */
        io.github.whisperjava.models.ResolvedModel resolve() {
            ModelResolver r = ModelResolver.fromEnvironment().withListener(new ModelsCommand.ProgressBar(System.err));
            if (model != null) {
                return r.resolve(ModelSpec.file(model));
            }
            return modelSize != null ? r.resolve(ModelSpec.size(modelSize)) : r.resolve();
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

        private static float decimal(String s, String option) {
            try {
                return Float.parseFloat(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number such as 0.5, got " + s);
            }
        }
    }
}
