package io.github.whisperjava.examples;

import io.github.whisperjava.models.ModelEntry;
import io.github.whisperjava.models.ModelResolver;
import io.github.whisperjava.models.ModelSpec;
import io.github.whisperjava.models.ResolvedModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code transcribe.jar models list} and {@code transcribe.jar models pull SIZE [QUANT]}. */
final class ModelsCommand {
    private ModelsCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        ModelResolver resolver = ModelResolver.fromEnvironment();
        if (args.length >= 2 && args[1].equals("list")) {
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
        if (args.length >= 3 && args[1].equals("pull")) {
            ModelSpec spec = args.length >= 4 ? ModelSpec.size(args[2], args[3]) : ModelSpec.size(args[2]);
            ResolvedModel r = resolver.withListener(new ProgressBar(err)).resolve(spec);
            out.println(r.file() + " (" + r.reason() + ")");
            return 0;
        }
        err.println("usage: java -jar transcribe.jar models list | models pull SIZE [QUANT]");
        return 2;
    }

    /** A one-line progress bar on a terminal stream, redrawn at most once per percent. */
    static final class ProgressBar implements io.github.whisperjava.models.DownloadListener {
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
