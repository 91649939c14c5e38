package io.github.whisperjava.internal;

/**
 * Which of whisper.cpp's alignment-head presets (whisper_alignment_heads_preset) fits a model file:
 * DTW token timestamps read the cross-attention of the heads OpenAI found to follow the audio, and they
 * are different for every size. A wrong preset either fails to load or gives wrong times, so it is
 * chosen from the file's own hyper-parameters, never from its name.
 */
final class DtwPreset {
    // the enum's values in whisper.h v1.9.1
    static final int TINY_EN = 3, TINY = 4, BASE_EN = 5, BASE = 6, SMALL_EN = 7, SMALL = 8, MEDIUM_EN = 9,
            MEDIUM = 10, LARGE_V2 = 12, LARGE_V3 = 13, LARGE_V3_TURBO = 14;

    private DtwPreset() {}

    /**
     * The preset for this model. large-v1 and large-v2 have identical hyper-parameters; v2's heads are
     * used for both (v1 is long superseded).
     */
    static int of(GgmlModelHeader h) {
        boolean en = !h.multilingual();
        return switch (h.nAudioLayer()) {
            case 4 -> en ? TINY_EN : TINY;
            case 6 -> en ? BASE_EN : BASE;
            case 12 -> en ? SMALL_EN : SMALL;
            case 24 -> en ? MEDIUM_EN : MEDIUM;
            case 32 -> h.nTextLayer() == 4 ? LARGE_V3_TURBO : h.nMels() == 128 ? LARGE_V3 : LARGE_V2;
            default -> throw new IllegalArgumentException("no DTW alignment heads are known for a model with "
                    + h.nAudioLayer() + " encoder layers");
        };
    }
}
