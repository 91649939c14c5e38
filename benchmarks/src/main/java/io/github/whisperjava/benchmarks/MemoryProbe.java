package io.github.whisperjava.benchmarks;

import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Whisper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Resident memory of one model, run in a JVM of its own per model:
 * {@code java -cp benchmarks.jar io.github.whisperjava.benchmarks.MemoryProbe MODEL_FILE [CALLERS]}.
 * Prints RSS growth after loading, after the first transcription (one state), and per extra
 * concurrent caller (one more state each), as one line of JSON.
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    public static void main(String[] args) throws Exception {
        Path model = Paths.get(args[0]);
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        float[] pcm = Workload.clip("2s");
        TranscribeParams p = Workload.PARAMS.toBuilder().threads(1).audioContext(64).maxTokensPerSegment(4).build();
        Whisper.whisperCppVersion(); // natives loaded before the baseline
        System.gc();
        long base = rssKb();
        try (Whisper w = Whisper.load(model, ModelOptions.defaults().withConcurrency(callers))) {
            long loaded = rssKb();
            w.transcribe(pcm, p);
            long oneState = rssKb();
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    fs.add(pool.submit(() -> w.transcribe(pcm, p)));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            long all = rssKb();
            System.out.printf("{\"model\":\"%s\",\"type\":\"%s\",\"file_mib\":%.1f,\"load_kib\":%d,\"first_state_kib\":%d,"
                    + "\"callers\":%d,\"per_extra_caller_kib\":%d}%n", model.getFileName(), w.info().type(),
                    Files.size(model) / 1048576.0, loaded - base, oneState - loaded, callers,
                    (all - oneState) / Math.max(1, callers - 1));
        }
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
