package io.github.whisperjava.server;

import io.github.whisperjava.audio.AudioDecoder;
import java.time.Duration;

/**
 * The service's one way from uploaded or fetched bytes to 16 kHz mono samples: WAV, MP3, FLAC or Ogg
 * Vorbis, told apart by their content (never by a file name or Content-Type a client chose).
 */
final class AudioInput {
    private AudioInput() {}

    /**
     * @throws io.github.whisperjava.AudioTooLongException audio longer than {@code max}, known from the header
     * @throws io.github.whisperjava.AudioFormatException bytes that are no audio this service reads
     */
    static float[] decode(byte[] bytes, Duration max) {
        return AudioDecoder.decode16kMono(bytes, max);
    }
}
