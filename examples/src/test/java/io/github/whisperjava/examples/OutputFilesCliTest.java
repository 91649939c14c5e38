package io.github.whisperjava.examples;

import static io.github.whisperjava.examples.InProcessCli.JFK;
import static io.github.whisperjava.examples.InProcessCli.onTiny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.whisperjava.examples.InProcessCli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
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

    @Test
    void anExistingOutputIsReplacedNotWrittenInPlace() throws IOException {
        // a hard link shares the file: written in place, the other name would change too
        Path kept = Files.writeString(tmp.resolve("kept.json"), "the old result");
        Path out = Files.createLink(tmp.resolve("out.json"), kept);
        Result r = onTiny("-oj", "-of", tmp.resolve("out").toString(), JFK.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("the old result", Files.readString(kept));
        assertTrue(Files.readString(out).startsWith("{"), Files.readString(out));
        // made with the default permissions, as a file the CLI creates anew, not a temporary file's 0600
        Path plain = Files.createFile(tmp.resolve("plain"));
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertEquals(List.of("kept.json", "out.json", "plain"), names(tmp), "no temporary file left");
    }

    @Test
    void aLinkAtTheOutputPathIsReplacedAndItsTargetLeftAlone() throws IOException {
        Path precious = Files.writeString(tmp.resolve("precious.txt"), "not yours");
        Path link = Files.createSymbolicLink(tmp.resolve("out.json"), precious);
        // a dangling link: following it would create the file it names
        Path planted = tmp.resolve("planted.txt");
        Path dangling = Files.createSymbolicLink(tmp.resolve("out.srt"), planted);
        Result r = onTiny("-oj", "-osrt", "-of", tmp.resolve("out").toString(), JFK.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("not yours", Files.readString(precious));
        assertFalse(Files.exists(planted, LinkOption.NOFOLLOW_LINKS), "the dangling link's target was created");
        assertTrue(Files.isRegularFile(link, LinkOption.NOFOLLOW_LINKS), "the link is replaced by the result");
        assertTrue(Files.isRegularFile(dangling, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.readString(link).startsWith("{"));
    }

    @Test
    void aMissingDirectoryIsNamedAsTheCauseAndNoFileIsLeft() throws IOException {
        Path missing = tmp.resolve("missing");
        Result r = onTiny("-oj", "-of", missing.resolve("out").toString(), JFK.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("could not write " + missing.resolve("out.json") + ": directory " + missing
                + " does not exist"), r.err());
        assertFalse(Files.exists(missing));

        Path notADirectory = Files.writeString(tmp.resolve("file"), "a file");
        Result file = onTiny("-oj", "-of", notADirectory.resolve("out").toString(), JFK.toString());
        assertEquals(1, file.exit(), file.err());
        assertTrue(file.err().contains(": " + notADirectory + " is not a directory"), file.err());
    }

    @Test
    void aFolderWithoutWritePermissionIsNamedAsTheCause() throws IOException {
        Path locked = Files.createDirectory(tmp.resolve("locked"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("r-xr-xr-x")));
        assumeFalse(Files.isWritable(locked), "root may write anywhere: FullDiskCliTest's read-only mount stands in");
        Result r = onTiny("-oj", "-of", locked.resolve("out").toString(), JFK.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("could not write " + locked.resolve("out.json") + ": permission denied"), r.err());
    }

    private static Path copyOfJfk(Path to) throws IOException {
        Files.createDirectories(to.getParent());
        return Files.copy(JFK, to);
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
