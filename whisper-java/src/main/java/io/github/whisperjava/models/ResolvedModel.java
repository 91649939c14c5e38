package io.github.whisperjava.models;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A model file ready to load, and how it was chosen.
 *
 * @param file the file on disk
 * @param entry the catalogue entry, when it came from the catalogue
 * @param reason which rule chose it, e.g. {@code "WHISPER_MODEL_SIZE=small"}, {@code "default (small)"}
 */
public record ResolvedModel(Path file, Optional<ModelEntry> entry, String reason) {}
