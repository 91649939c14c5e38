package io.github.whisperjava;

/**
 * What a loaded model is, as whisper.cpp reports it.
 *
 * @param type the size whisper.cpp recognised: {@code tiny}, {@code base}, {@code small},
 *     {@code medium} or {@code large}
 * @param multilingual false for English-only ({@code .en}) models
 * @param vocabularySize tokens in the vocabulary
 * @param audioLayers encoder layers
 * @param textLayers decoder layers
 * @param melBands mel filter bands (80, or 128 for large-v3)
 * @param fileType ggml file type of the weights (0 f32, 1 f16, 8 q5_0, 9 q5_1, 7 q8_0, ...)
 * @param audioContext encoder positions (1500: 30 s of audio)
 * @param textContext decoder positions (448); whisper.cpp keeps at most half of them as prompt
 * @param audioState encoder width
 * @param audioHeads encoder attention heads
 * @param textState decoder width
 * @param textHeads decoder attention heads
 * @param endOfTextToken the id of whisper's end-of-text token; every id from it up is a control token
 */
public record ModelInfo(String type, boolean multilingual, int vocabularySize, int audioLayers, int textLayers,
        int melBands, int fileType, int audioContext, int textContext, int audioState, int audioHeads,
        int textState, int textHeads, int endOfTextToken) {}
