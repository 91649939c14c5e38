package io.github.whisperjava.examples;

import static io.github.whisperjava.examples.InProcessCli.JFK;
import static io.github.whisperjava.examples.InProcessCli.cli;
import static io.github.whisperjava.examples.InProcessCli.onTiny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.examples.InProcessCli.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model or audio path that exists but is no regular file: the message says what it is. */
class NotAFileCliTest {
    @TempDir
    Path tmp;

    @Test
    void aModelPathThatIsADirectoryOrADeviceSaysWhatItIs() {
        Result dir = cli("-m", tmp.toString(), JFK.toString());
        assertEquals(1, dir.exit(), dir.err());
        assertEquals("transcribe: cannot load model " + tmp + ": it is a directory, not a model file\n", dir.err());
        Result device = cli("-m", "/dev/null", JFK.toString());
        assertEquals(1, device.exit(), device.err());
        assertEquals("transcribe: cannot load model /dev/null: it is a character device, not a model file\n",
                device.err());
        Path missing = tmp.resolve("missing.bin");
        Result none = cli("-m", missing.toString(), JFK.toString());
        assertEquals("transcribe: cannot load model " + missing + ": it does not exist\n", none.err());
    }

    @Test
    void anAudioPathThatIsADeviceOrADirectorySaysWhatItIs() {
        Result r = onTiny("/dev/null", tmp.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("transcribe: /dev/null: ") && r.err().contains("(/dev/null is a character device)"),
                r.err());
        assertTrue(r.err().contains("transcribe: " + tmp + ": " + tmp + " is a directory"), r.err());
    }
}
