package io.github.whisperjava.models;

import io.github.whisperjava.Whisper;

/** Run in a separate JVM by tests: resolve (and load) the model the environment names, print its type. */
public final class ResolveMain {
    private ResolveMain() {}

    public static void main(String[] args) {
        try (Whisper w = Whisper.load()) {
            System.out.println("type=" + w.info().type() + " file=" + w.modelPath().getFileName() + " source=" + w.source());
        }
    }
}
