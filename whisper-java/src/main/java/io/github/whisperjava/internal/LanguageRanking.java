package io.github.whisperjava.internal;

import io.github.whisperjava.LanguageDetection;
import io.github.whisperjava.LanguageProbability;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** whisper's per-language-id probabilities as languages by code, most probable first. */
public final class LanguageRanking {
    private LanguageRanking() {}

    public static LanguageDetection of(float[] probabilities) {
        List<LanguageProbability> ranked = new ArrayList<>(probabilities.length);
        for (int id = 0; id < probabilities.length; id++) {
            byte[] code = WhisperJni.langStr(id);
            if (code != null) {
                ranked.add(new LanguageProbability(NativeLoader.text(code), probabilities[id]));
            }
        }
        // stable: equal probabilities keep whisper's order, as whisper.cpp's own pick does
        ranked.sort(Comparator.comparingDouble((LanguageProbability l) -> l.probability()).reversed());
        return new LanguageDetection(ranked);
    }
}
