package io.github.whisperjava.examples;

import static io.github.whisperjava.examples.TranscribeCliTest.JFK;
import static io.github.whisperjava.examples.InProcessCli.cli;
import static io.github.whisperjava.examples.TranscribeCliTest.ours;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --fit-window} must reach the library: on the random-weights fixture a 2 s clip decodes noise
 * that runs past the end of the audio, so the fitted result is discarded and the library says so at
 * INFO. Without the flag there is nothing to discard; with it, the file is the full window's.
 */
class FitWindowCliTest {
    static final String FALLBACK = "transcribing again with the full window";

    @TempDir
    Path tmp;

    @Test
    void fitWindowFlagFitsTheWindowAndAnUntrustedResultFallsBackToTheFullOne() throws Exception {
        Path clip = tmp.resolve("two-seconds.wav");
        try (AudioInputStream jfk = AudioSystem.getAudioInputStream(JFK.toFile());
                AudioInputStream twoSeconds = new AudioInputStream(jfk, jfk.getFormat(), 2 * 16_000)) {
            AudioSystem.write(twoSeconds, AudioFileFormat.Type.WAVE, clip.toFile());
        }
        Logged fit = run("--fit-window", "-osrt", "-of", tmp.resolve("fit").toString(), clip.toString());
        assertEquals(0, fit.result.exit(), fit.result.err());
        assertTrue(fit.log.contains(FALLBACK), "the fitted window should have run and been distrusted: " + fit.log);

        Logged full = run("-osrt", "-of", tmp.resolve("full").toString(), clip.toString());
        assertEquals(0, full.result.exit(), full.result.err());
        assertFalse(full.log.contains(FALLBACK), full.log);
        assertEquals(Files.readString(tmp.resolve("full.srt")), Files.readString(tmp.resolve("fit.srt")),
                "a fall-back gives exactly the full window's result");
    }

    record Logged(InProcessCli.Result result, String log) {}

    /** The CLI in this JVM, with the library's log (slf4j-simple writes to whatever System.err is now). */
    private static Logged run(String... flags) {
        PrintStream saved = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            InProcessCli.Result r = cli(ours(flags).toArray(String[]::new));
            return new Logged(r, log.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }
}
