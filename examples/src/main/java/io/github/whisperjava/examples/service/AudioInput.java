package io.github.whisperjava.examples.service;

import io.github.whisperjava.audio.WavReader;
import java.time.Duration;

/**
 * The service's one way from uploaded or fetched bytes to 16 kHz mono samples. Only WAV for now; the
 * library's decoder for MP3, FLAC and Ogg takes this method's place when it lands, and nothing else in
 * the service changes.
 */
final class AudioInput {
    private AudioInput() {}

    /**
     * @throws io.github.whisperjava.AudioTooLongException audio longer than {@code max}, known from the header
     * @throws io.github.whisperjava.AudioFormatException bytes that are no audio this service reads
     */
    static float[] decode(byte[] bytes, Duration max) {
        return WavReader.read16kMono(bytes, "the uploaded audio", max);
    }
}
