package io.github.whisperjava;

import io.github.whisperjava.internal.SpeechDetector;
import io.github.whisperjava.models.ModelResolver;
import io.github.whisperjava.models.Settings;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A model's Silero voice activity detectors: one per VAD model file, made on first use and closed with
 * the model. The default VAD model is resolved (and downloaded, once) only when a call first asks for VAD.
 */
final class SpeechDetectors {
    private static final Cleaner CLEANER = Cleaner.create();

    private final String modelName;
    private final Map<Path, SpeechDetector> detectors = new HashMap<>(); // guarded by itself
    private boolean closed; // guarded by detectors
    private volatile Path defaultVadModel;

    /** {@code modelName}: the whisper model's file name, for the message after close. */
    SpeechDetectors(String modelName) {
        this.modelName = modelName;
    }

    /** The detector for {@code options.model()}, or for the default VAD model. */
    SpeechDetector forOptions(VadOptions options) {
        Path file = (options.model() != null ? options.model() : defaultVadModel()).toAbsolutePath();
        synchronized (detectors) {
            // checked under the lock close() takes: a detector made after close would never be freed
            if (closed) {
                throw new IllegalStateException("whisper model " + modelName + " is closed");
            }
            SpeechDetector d = detectors.get(file);
            if (d == null) {
                d = new SpeechDetector(file, ModelResolver.cacheDir(Settings.system()));
                detectors.put(file, d);
                CLEANER.register(this, d); // a model never closed: freed once this (and so the model) is unreachable
            }
            return d;
        }
    }

    private Path defaultVadModel() {
        Path p = defaultVadModel;
        if (p == null) {
            p = ModelResolver.fromEnvironment().resolveVad().file();
            defaultVadModel = p;
        }
        return p;
    }

    /** Frees every detector and refuses new ones. Idempotent. */
    void close() {
        synchronized (detectors) {
            closed = true;
            detectors.values().forEach(SpeechDetector::close);
        }
    }
}
