package io.github.whisperjava.examples;

import static io.github.whisperjava.examples.InProcessCli.JFK;
import static io.github.whisperjava.examples.InProcessCli.onTiny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.examples.InProcessCli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CLI's result files go, and what it does when they cannot go there. */
class OutputFilesCliTest {
    @TempDir
    Path tmp;

    @Test
    void twoInputsWritingOneFileAreAUsageErrorBeforeAnyTranscription() throws IOException {
        Path a = copyOfJfk(tmp.resolve("a/x.wav"));
        Path b = copyOfJfk(tmp.resolve("b/x.wav"));
        Path out = tmp.resolve("out");
        Result dir = onTiny("--output-dir", out.toString(), "-osrt", a.toString(), b.toString());
        assertEquals(2, dir.exit(), dir.err());
        assertTrue(dir.err().startsWith("transcribe: " + a + " and " + b + " would both be written to "
                + out.resolve("x.wav.srt")), dir.err());
        assertEquals("", dir.out(), "nothing is transcribed");
        assertFalse(Files.exists(out.resolve("x.wav.srt")));

        // -of for the first input only: the second's default name (its own path) is the first's -of
        Result firstOnly = onTiny("-osrt", "-of", b.toString(), a.toString(), b.toString());
        assertEquals(2, firstOnly.exit(), firstOnly.err());
        assertTrue(firstOnly.err().contains(b + ".srt"), firstOnly.err());

        // the same base spelled two ways is one file
        Result twoSpellings = onTiny("-oj", "-of", tmp.resolve("r").toString(), "-of", tmp.resolve("a/../r").toString(),
                a.toString(), b.toString());
        assertEquals(2, twoSpellings.exit(), twoSpellings.err());
        assertTrue(twoSpellings.err().contains("would both be written to " + tmp.resolve("r.json")), twoSpellings.err());
        assertFalse(Files.exists(tmp.resolve("r.json")));

        // nor is a result written over an input
        Path talk = copyOfJfk(tmp.resolve("talk.txt"));
        Result overInput = onTiny("-otxt", "-of", tmp.resolve("talk").toString(), talk.toString());
        assertEquals(2, overInput.exit(), overInput.err());
        assertTrue(overInput.err().contains("would be written over the input " + talk), overInput.err());
        assertEquals(Files.size(JFK), Files.size(talk));
    }

    private static Path copyOfJfk(Path to) throws IOException {
        Files.createDirectories(to.getParent());
        return Files.copy(JFK, to);
    }
}
