package io.github.whisperjava.audio;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The encoded audio of src/test/resources/audio (made by make-fixtures.sh there) and jfk.wav. */
public final class AudioFixtures {
    public static final Path JFK_WAV = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"))
            .toAbsolutePath().normalize().resolve("audio/jfk.wav");

    private AudioFixtures() {}

    /** e.g. {@code "jfk.mp3"}, {@code "seed.flac"}, {@code "unsupported.opus"}. */
    public static Path path(String name) {
        URL url = AudioFixtures.class.getResource("/audio/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource audio/" + name + " missing (see make-fixtures.sh)");
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
