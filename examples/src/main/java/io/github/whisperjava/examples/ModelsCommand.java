package io.github.whisperjava.examples;

import io.github.whisperjava.models.DownloadListener;
import io.github.whisperjava.models.ModelEntry;
import io.github.whisperjava.models.ModelResolver;
import io.github.whisperjava.models.ModelSpec;
import io.github.whisperjava.models.ResolvedModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code transcribe.jar models list} and {@code transcribe.jar models pull SIZE [QUANT]}. */
@Command(name = "models", description = "the model catalogue and cache",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Pull.class})
final class ModelsCommand implements Callable<Integer> {
    @ParentCommand
    TranscribeCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "models needs list or pull SIZE [QUANT]");
    }

    @Command(name = "list", description = "the catalogue's models, and which are cached")
    static final class ListModels implements Callable<Integer> {
        @ParentCommand
        ModelsCommand models;

        @Override
        public Integer call() {
            PrintStream out = models.root.out;
            ModelResolver resolver = ModelResolver.fromEnvironment();
            Path cache = resolver.cacheDir();
            out.printf("%-22s %-8s %-10s %-12s %s%n", "MODEL", "QUANT", "SIZE", "LANGUAGES", "CACHED (" + cache + ")");
            for (ModelEntry e : resolver.catalog().entries()) {
                out.printf("%-22s %-8s %-10s %-12s %s%n", e.name(), e.quant(),
                        e.approxBytes() > 0 ? (e.approxBytes() >> 20) + " MiB" : "?",
                        e.multilingual() ? "multilingual" : "english",
                        Files.isRegularFile(cache.resolve(e.file())) ? "yes" : "");
            }
            return 0;
        }
    }

    @Command(name = "pull", description = "download a model ahead of time (with a progress bar)")
    static final class Pull implements Callable<Integer> {
        @ParentCommand
        ModelsCommand models;

        @Parameters(index = "0", paramLabel = "SIZE", description = "tiny, base.en, small, large-v3-turbo, ...")
        String size;

        @Parameters(index = "1", arity = "0..1", paramLabel = "QUANT", description = "q5_1, q5_0, q8_0 or f16")
        String quant;

        @Override
        public Integer call() {
            ModelSpec spec = quant != null ? ModelSpec.size(size, quant) : ModelSpec.size(size);
            ResolvedModel r = ModelResolver.fromEnvironment().withListener(new ProgressBar(models.root.err)).resolve(spec);
            models.root.out.println(r.file() + " (" + r.reason() + ")");
            return 0;
        }
    }

    /** A one-line progress bar on a terminal stream, redrawn at most once per percent. */
    static final class ProgressBar implements DownloadListener {
        private final PrintStream out;
        private long lastPercent = -1;

        ProgressBar(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onProgress(String file, long done, long total) {
            if (total <= 0) {
                return;
            }
            long percent = Math.min(100, done * 100 / total);
            if (percent == lastPercent) {
                return;
            }
            lastPercent = percent;
            int bars = (int) (percent * 30 / 100);
            out.printf("\r%s [%s%s] %3d%% %d/%d MiB", file, "#".repeat(bars), " ".repeat(30 - bars), percent,
                    done >> 20, total >> 20);
            if (percent == 100) {
                out.println();
            }
        }
    }
}
