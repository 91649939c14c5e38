package io.github.whisperjava.benchmarks;

import io.github.whisperjava.internal.FittedWindow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The native floor: runs {@code whisper-floor} (cpp/tools/whisper_floor.c, whisper.cpp with no JVM)
 * for each model and clip, 1 warm-up and N timed runs, and prints mean and the 99.9% confidence
 * half-width as JMH computes them, one JSON line each.
 * {@code java -cp benchmarks.jar io.github.whisperjava.benchmarks.FloorRunner SIZES CLIPS RUNS [fit [MODEL]]}
 * ({@code fit}: the encoder window the library's {@code FIT_AUDIO} picks for each clip, as audio_ctx;
 * MODEL: a model file instead of the generated fixture)
 * with SIZES and CLIPS comma-separated (e.g. {@code tiny,base 2s,11s 5}).
 */
public final class FloorRunner {
    private FloorRunner() {}

    public static void main(String[] args) throws Exception {
        String[] sizes = args[0].split(",");
        String[] clips = args[1].split(",");
        int runs = Integer.parseInt(args[2]);
        Path tmp = Files.createTempDirectory("whisper-floor");
        for (String size : sizes) {
            boolean fit = args.length > 3 && args[3].equals("fit");
            Path model = Workload.model(size, "q5_1", args.length > 4 ? args[4] : "");
            for (String clip : clips) {
                Path pcm = Workload.writeF32(Workload.clip(clip), tmp.resolve(clip + ".f32"));
                int positions = fit ? FittedWindow.positions(Workload.clip(clip).length,
                        1500) : 0;
                Process p = new ProcessBuilder(Workload.FLOOR.toString(), model.toString(), pcm.toString(),
                        String.valueOf(Workload.THREADS), "1", String.valueOf(runs), String.valueOf(positions))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("whisper-floor failed for " + size + " " + clip);
                }
                String runsMs = out.substring(out.indexOf("\"runs_ms\":[") + 11, out.indexOf(']'));
                List<Double> v = new ArrayList<>();
                for (String s : runsMs.split(",")) {
                    v.add(Double.parseDouble(s));
                }
                double mean = v.stream().mapToDouble(d -> d).average().orElse(Double.NaN);
                double var = v.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / Math.max(1, v.size() - 1);
                double err = tQuantile999(v.size() - 1) * Math.sqrt(var / v.size());
                System.out.printf("{\"size\":\"%s\",\"clip\":\"%s\",\"positions\":%d,\"floor_ms\":%.1f,"
                        + "\"error_ms\":%.1f,\"runs\":%d}%n", size, clip, positions, mean, err, v.size());
                Files.delete(pcm);
            }
        }
        Files.delete(tmp);
    }

    /** Student's t for a two-sided 99.9% interval (what JMH reports), for small degrees of freedom. */
    static double tQuantile999(int df) {
        double[] t = {Double.NaN, 636.62, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587};
        return df >= 1 && df < t.length ? t[df] : 3.291;
    }
}
