package io.github.whisperjava.models;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which model to load: a file, or a catalogue size with a quantization. {@code ModelSpec.size("small")}
 * takes the default quantization ({@code q5_1}); {@code ModelSpec.size("medium", "q8_0")} a given one;
 * {@code ModelSpec.named("base.en-q5_1")} an exact catalogue name.
 */
public record ModelSpec(Optional<Path> path, Optional<String> size, Optional<String> quant, Optional<String> name) {
    public ModelSpec {
        Objects.requireNonNull(path);
        Objects.requireNonNull(size);
        Objects.requireNonNull(quant);
        Objects.requireNonNull(name);
    }

    public static ModelSpec file(Path path) {
        return new ModelSpec(Optional.of(path), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static ModelSpec size(String size) {
        return new ModelSpec(Optional.empty(), Optional.of(size), Optional.empty(), Optional.empty());
    }

    public static ModelSpec size(String size, String quant) {
        return new ModelSpec(Optional.empty(), Optional.of(size), Optional.of(quant), Optional.empty());
    }

    public static ModelSpec named(String catalogueName) {
        return new ModelSpec(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(catalogueName));
    }

    @Override
    public String toString() {
        return path.map(p -> "file " + p)
                .or(() -> name.map(n -> "model " + n))
                .orElseGet(() -> "size " + size.orElse("?") + quant.map(q -> " (" + q + ")").orElse(""));
    }
}
