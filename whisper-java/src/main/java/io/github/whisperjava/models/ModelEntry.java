package io.github.whisperjava.models;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One downloadable model of the catalogue.
 *
 * @param name catalogue name, e.g. {@code small-q5_1}, {@code base.en}
 * @param size the size as users name it, e.g. {@code small}, {@code large-v3-turbo}, {@code base.en}
 * @param quant {@code f16} (unquantized), {@code q5_0}, {@code q5_1}, {@code q8_0}, ...
 * @param file file name in the cache and on the mirror, e.g. {@code ggml-small-q5_1.bin}
 * @param approxBytes approximate size (for the free-disk check and progress), or -1
 * @param multilingual false for English-only models
 * @param type what whisper.cpp's header says for this size: tiny, base, small, medium, large; or
 *     {@code vad} for a Silero voice activity detection model
 * @param sha1 published SHA-1, if any
 * @param sha256 published SHA-256, if any
 * @param url where to download from, if not {@code WHISPER_MODEL_BASE_URL/file}
 */
public record ModelEntry(String name, String size, String quant, String file, long approxBytes,
        boolean multilingual, String type, Optional<String> sha1, Optional<String> sha256, Optional<String> url) {

    private static final Pattern SAFE_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,200}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    public ModelEntry {
        if (!SAFE_FILE.matcher(file).matches() || file.contains("..")) {
            throw new IllegalArgumentException("model file name \"" + file + "\" is not a plain file name");
        }
        sha1.ifPresent(h -> requireHex(h, 40, "sha1"));
        sha256.ifPresent(h -> requireHex(h, 64, "sha256"));
    }

    /** A voice activity detection model, not a whisper model: never chosen by size. */
    public boolean isVad() {
        return type.equals("vad");
    }

    private static void requireHex(String h, int len, String what) {
        if (h.length() != len || !HEX.matcher(h).matches()) {
            throw new IllegalArgumentException(what + " must be " + len + " lower-case hex digits, got " + h);
        }
    }
}
