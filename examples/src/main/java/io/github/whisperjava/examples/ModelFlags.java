package io.github.whisperjava.examples;

import io.github.whisperjava.ModelLoadException;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.models.DownloadListener;
import io.github.whisperjava.models.ModelResolver;
import io.github.whisperjava.models.ModelSpec;
import io.github.whisperjava.models.ResolvedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import picocli.CommandLine.Option;

/** Which model to load and how: the file or size, the GPU, flash attention, DTW, how many files at once. */
final class ModelFlags {
    /** whisper-cli's -dtw presets; the library chooses the alignment heads from the model file itself. */
    static final List<String> DTW_PRESETS = List.of("tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium",
            "medium.en", "large.v1", "large.v2", "large.v3", "large.v3.turbo");

    @Option(names = {"-m", "--model"}, paramLabel = "PATH",
            description = "whisper.cpp ggml model file (default: from WHISPER_MODEL_PATH, WHISPER_MODEL_SIZE and "
                    + "WHISPER_MODEL_QUANT; else small q5_1)")
    String model;

    @Option(names = "--model-size", paramLabel = "SIZE", description = "tiny, base, small, medium, large-v3, ... (.en allowed)")
    String modelSize;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "transcribe N files at once on the one loaded model")
    int jobs = 1;

    @Option(names = {"-ng", "--no-gpu"}, description = "do not use a GPU")
    boolean noGpu;

    @Option(names = {"-dev", "--device"}, paramLabel = "N", description = "GPU device (default 0)")
    int device;

    private boolean flashAttention = true;

    @Option(names = {"-dtw", "--dtw"}, paramLabel = "PRESET",
            description = "token times by dynamic time warping (json-full's t_dtw); the alignment heads come from "
                    + "the model file, so PRESET (whisper-cli's tiny, base.en, ...) is checked but not needed")
    String dtw;

    // whisper-cli: the last of -fa and -nfa wins
    @Option(names = {"-fa", "--flash-attn"}, description = "flash attention (the default)")
    void flashAttentionOn(boolean on) {
        if (on) {
            flashAttention = true;
        }
    }

    @Option(names = {"-nfa", "--no-flash-attn"}, description = "no flash attention")
    void flashAttentionOff(boolean off) {
        if (off) {
            flashAttention = false;
        }
    }

    void check() {
        if (model != null && modelSize != null) {
            throw new IllegalArgumentException("give --model or --model-size, not both");
        }
        if (jobs < 1 || jobs > 64) {
            throw new IllegalArgumentException("--jobs must be 1..64, got " + jobs);
        }
        if (dtw != null && !DTW_PRESETS.contains(dtw)) {
            throw new IllegalArgumentException("unknown DTW preset '" + dtw + "': use one of " + DTW_PRESETS);
        }
    }

    ModelOptions options() {
        return new ModelOptions(!noGpu, flashAttention, device, jobs, ModelOptions.DEFAULT_IDLE_STATE_TIMEOUT,
                dtw != null);
    }

    /** The model to load: --model, else --model-size, else whatever the environment says. */
    ResolvedModel resolve(DownloadListener progress) {
        ModelResolver r = ModelResolver.fromEnvironment();
        if (progress != null) {
            r = r.withListener(progress);
        }
        if (model != null) {
            Path file = Paths.get(model);
            if (!Files.isRegularFile(file)) {
                // before the resolver, whose "names no file" does not say that the path is a directory or a device
                throw new ModelLoadException(file, Files.exists(file) ? "it is " + PathKind.of(file) + ", not a model file"
                        : "it does not exist");
            }
            return r.resolve(ModelSpec.file(file));
        }
        return modelSize != null ? r.resolve(ModelSpec.size(modelSize)) : r.resolve();
    }

    /** The model as the JSON formats name it: whisper-cli writes its -m argument as given. */
    String argument(Whisper whisper) {
        return model != null ? model : whisper.modelPath().toString();
    }
}
