package io.github.whisperjava.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a whisper-cli request's time goes, by whisper.cpp's own phase timings (its
 * {@code whisper_print_timings}: load, mel, encode, decode, total), for the benchmark's CLI paths:
 * warm, cold (model file dropped from the page cache first, checked with fincore) and {@code --vad}.
 * One JSON line per path and clip, each phase the mean of RUNS runs.
 * {@code java -cp benchmarks.jar io.github.whisperjava.benchmarks.CliPhases SIZE MODEL_OR_EMPTY CLIPS RUNS}
 *
 * <p>The library's own runs cannot be split this way: whisper.cpp keeps the phase times in each
 * {@code whisper_state} and reads them back only from the context's default state
 * ({@code whisper_get_timings}), which a pool of states does not use.
 */
public final class CliPhases {
    private static final Pattern TIMING = Pattern.compile("whisper_print_timings:\\s+(\\w+) time =\\s+([0-9.]+) ms");

    private CliPhases() {}

    public static void main(String[] args) throws Exception {
        String size = args[0];
        Path model = Workload.model(size, "q5_1", args[1]);
        String[] clips = args[2].split(",");
        int runs = Integer.parseInt(args[3]);
        Path tmp = Files.createTempDirectory("whisper-phases");
        for (String clip : clips) {
            Path wav = Workload.writeWav(Workload.clip(clip), tmp.resolve(clip + ".wav"));
            for (String path : List.of("cli", "cliCold", "cliVad")) {
                Map<String, Double> sum = new LinkedHashMap<>();
                for (int r = 0; r < runs + 1; r++) { // the first run warms the page cache and is not counted
                    if (path.equals("cliCold")) {
                        Workload.evictFromPageCache(model);
                    }
                    Map<String, Double> t = run(model, wav, path.equals("cliVad"));
                    if (r > 0) {
                        t.forEach((k, v) -> sum.merge(k, v, Double::sum));
                    }
                }
                StringBuilder line = new StringBuilder("{\"size\":\"" + size + "\",\"clip\":\"" + clip
                        + "\",\"path\":\"" + path + "\",\"runs\":" + runs);
                sum.forEach((k, v) -> line.append(",\"").append(k).append("_ms\":")
                        .append(String.format("%.1f", v / runs)));
                System.out.println(line.append('}'));
            }
            Files.delete(wav);
        }
        Files.delete(tmp);
    }

    private static Map<String, Double> run(Path model, Path wav, boolean vad) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Workload.CPP_BIN.resolve("whisper-cli").toString(), "-m",
                model.toString(), "-f", wav.toString(), "-t", String.valueOf(Workload.THREADS), "-bs", "1", "-nf",
                "-l", "en"));
        if (vad) {
            cmd.addAll(List.of("--vad", "--vad-model", Workload.SILERO.toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("whisper-cli failed: " + err);
        }
        Map<String, Double> t = new LinkedHashMap<>();
        Matcher m = TIMING.matcher(err);
        while (m.find()) {
            t.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        if (!t.containsKey("total")) {
            throw new IllegalStateException("whisper-cli printed no timings:\n" + err);
        }
        return t;
    }
}
