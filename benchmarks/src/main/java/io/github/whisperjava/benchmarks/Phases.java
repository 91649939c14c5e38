package io.github.whisperjava.benchmarks;

import io.github.whisperjava.EncoderWindow;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.PhaseTimings;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.Whisper;
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
 * Where a request's time goes, by whisper.cpp's own phase timings, for every path of
 * TranscribeBenchmark: whisper-cli warm, cold (model file dropped from the page cache first, checked
 * with fincore) and with {@code --vad} (its {@code whisper_print_timings}: load, mel, sample, encode,
 * decode, batchd, prompt, total), and the library with the full window, the fitted window, and VAD
 * with the fitted window ({@link Transcript#timings()}, which reads the state's timings through our
 * whisper.cpp patch; plus the call's wall time). One JSON line per path and clip, each value the mean
 * of RUNS runs after one that is not counted.
 * {@code java -cp benchmarks.jar io.github.whisperjava.benchmarks.Phases SIZE MODEL_OR_EMPTY CLIPS RUNS}
 */
public final class Phases {
    private static final Pattern TIMING = Pattern.compile("whisper_print_timings:\\s+(\\w+) time =\\s+([0-9.]+) ms");

    private Phases() {}

    public static void main(String[] args) throws Exception {
        String size = args[0];
        Path model = Workload.model(size, "q5_1", args[1]);
        String[] clips = args[2].split(",");
        int runs = Integer.parseInt(args[3]);
        Path tmp = Files.createTempDirectory("whisper-phases");
        for (String clip : clips) {
            Path wav = Workload.writeWav(Workload.clip(clip), tmp.resolve(clip + ".wav"));
            try (Whisper w = Whisper.load(model, ModelOptions.defaults().withConcurrency(1))) {
                for (String path : List.of("libraryLoadOnce", "libraryFitWindow", "libraryVadFitWindow")) {
                    TranscribeParams params = switch (path) {
                        case "libraryFitWindow" -> Workload.PARAMS.toBuilder().encoderWindow(EncoderWindow.FIT_AUDIO).build();
                        case "libraryVadFitWindow" -> Workload.PARAMS.toBuilder().encoderWindow(EncoderWindow.FIT_AUDIO)
                                .vad(VadOptions.DEFAULTS.withModel(Workload.SILERO)).build();
                        default -> Workload.PARAMS;
                    };
                    Map<String, Double> sum = new LinkedHashMap<>();
                    for (int r = 0; r < runs + 1; r++) {
                        long start = System.nanoTime();
                        Transcript t = w.transcribe(wav, params);
                        double wall = (System.nanoTime() - start) / 1e6;
                        PhaseTimings p = t.timings();
                        if (r > 0) {
                            Map<String, Double> m = new LinkedHashMap<>();
                            m.put("vad", p.vadMs());
                            m.put("mel", p.melMs());
                            m.put("sample", p.sampleMs());
                            m.put("encode", p.encodeMs());
                            m.put("decode", p.decodeMs());
                            m.put("batchd", p.batchDecodeMs());
                            m.put("prompt", p.promptMs());
                            m.put("total", wall);
                            m.forEach((k, v) -> sum.merge(k, v, Double::sum));
                        }
                    }
                    print(size, clip, path, runs, sum);
                }
            }
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
                print(size, clip, path, runs, sum);
            }
            Files.delete(wav);
        }
        Files.delete(tmp);
    }

    private static void print(String size, String clip, String path, int runs, Map<String, Double> sum) {
        StringBuilder line = new StringBuilder("{\"size\":\"" + size + "\",\"clip\":\"" + clip + "\",\"path\":\""
                + path + "\",\"runs\":" + runs);
        sum.forEach((k, v) -> line.append(",\"").append(k).append("_ms\":").append(String.format("%.1f", v / runs)));
        System.out.println(line.append('}'));
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
