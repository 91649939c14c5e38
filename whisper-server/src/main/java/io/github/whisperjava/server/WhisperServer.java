package io.github.whisperjava.server;

import picocli.CommandLine;

/**
 * {@code java -jar whisper-server.jar [OPTIONS]}: the transcription service, options from the command
 * line or the environment ({@link EnvironmentDefaults}), the model from {@code WHISPER_MODEL_SIZE},
 * {@code WHISPER_MODEL_PATH}, ... SIGTERM drains and exits 0.
 */
public final class WhisperServer {
    private WhisperServer() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServeCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}
