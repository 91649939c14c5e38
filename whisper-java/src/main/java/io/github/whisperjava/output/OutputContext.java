package io.github.whisperjava.output;

import io.github.whisperjava.ModelInfo;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Whisper;
import java.util.Objects;

/**
 * What the JSON formats say besides the transcript, as whisper-cli fills them in: the model, the
 * parameters asked for, and the build's system info.
 *
 * @param model the loaded model
 * @param modelPath the model as named by the caller (whisper-cli prints its {@code -m} argument)
 * @param language the language asked for ({@code "auto"} included), not the one detected
 * @param translate whether translation to English was asked for
 * @param systemInfo {@link Whisper#systemInfo()}
 */
public record OutputContext(ModelInfo model, String modelPath, String language, boolean translate,
        String systemInfo) {
    public OutputContext {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelPath, "modelPath");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(systemInfo, "systemInfo");
    }

    /** The context of a transcription made by {@code whisper} with {@code params}. */
    public static OutputContext of(Whisper whisper, TranscribeParams params) {
        return new OutputContext(whisper.info(), whisper.modelPath().toString(), params.language(),
                params.translate(), Whisper.systemInfo());
    }
}
