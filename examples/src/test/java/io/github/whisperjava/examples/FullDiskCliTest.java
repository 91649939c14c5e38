package io.github.whisperjava.examples;

import static io.github.whisperjava.examples.InProcessCli.JFK;
import static io.github.whisperjava.examples.InProcessCli.onTiny;
import static io.github.whisperjava.examples.OutputFilesCliTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.whisperjava.examples.InProcessCli.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Result files on a file system that is full or read-only, for real: a 64 KiB tmpfs mounted for the
 * test. Mounting needs root (or CAP_SYS_ADMIN); where the test may not mount, it is skipped and says so.
 */
class FullDiskCliTest {
    @TempDir
    Path tmp;

    @Test
    void aFullDiskIsNamedAsTheCauseAndLeavesNoFileAndTheOldOneWhole() throws Exception {
        Path disk = mount(tmp.resolve("disk"), "size=64k");
        try {
            Path old = Files.writeString(disk.resolve("old.json"), "the old result");
            fill(disk.resolve("filler"));
            Result r = onTiny("-oj", "-of", disk.resolve("new").toString(), "-of", disk.resolve("old").toString(),
                    JFK.toString(), JFK.toString());
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains("could not write " + disk.resolve("new.json") + ": No space left on device"),
                    r.err());
            assertTrue(r.err().contains("could not write " + old + ": No space left on device"), r.err());
            assertEquals("the old result", Files.readString(old));
            assertEquals(List.of("filler", "old.json"), names(disk), "no empty or partial file left");
        } finally {
            unmount(disk);
        }
    }

    @Test
    void aReadOnlyFileSystemIsNamedAsTheCause() throws Exception {
        Path disk = mount(tmp.resolve("ro"), "ro,size=64k");
        try {
            Result r = onTiny("-oj", "-of", disk.resolve("out").toString(), JFK.toString());
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains("could not write " + disk.resolve("out.json") + ": Read-only file system"),
                    r.err());
        } finally {
            unmount(disk);
        }
    }

    private static Path mount(Path dir, String options) throws Exception {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "cannot mount a tmpfs here: " + said);
        return dir;
    }

    private static void unmount(Path dir) throws Exception {
        Process p = new ProcessBuilder("umount", dir.toString()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "could not unmount " + dir);
    }

    /** Writes until the file system has no room left. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), full.toString());
        }
    }
}
