package io.github.whisperjava.internal;

/**
 * whisper's English names of its languages, from whisper.cpp's own table. Apart from the ranking, which
 * builds the public records, so that the records can ask for a name without a cycle between the two.
 */
public final class LanguageNames {
    private LanguageNames() {}

    /** whisper's English name for a language code ("en": "english"), or null for a code it does not know. */
    public static String of(String code) {
        NativeLoader.load();
        int id = WhisperJni.languageId(code);
        byte[] name = id < 0 ? null : WhisperJni.langStrFull(id);
        return name == null ? null : NativeLoader.text(name);
    }
}
