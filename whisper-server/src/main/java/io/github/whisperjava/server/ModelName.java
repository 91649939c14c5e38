package io.github.whisperjava.server;

import io.github.whisperjava.Whisper;

/** How responses name the model that answered: its file name (ggml-small-q5_1.bin). */
final class ModelName {
    private ModelName() {}

    static String of(Whisper whisper) {
        return whisper.modelPath().getFileName().toString();
    }
}
