package io.github.whisperjava.springai;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The shared test data beside the checkout (../shared/README.md). */
final class TestData {
    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir", "../../shared")).toAbsolutePath();
    /** Loads and runs with a real tiny's shapes, but has no weights: test status and shape, never words. */
    static final Path TINY = SHARED.resolve("models/for-tests-ggml-tiny.bin");
    static final Path JFK = SHARED.resolve("audio/jfk.wav");

    private TestData() {}
}
