package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** binutils' readelf on a shipped library, for the tests that check what the linker will see in it. */
final class Readelf {
    private Readelf() {}

    /** readelf's output for {@code args}; the test is skipped, loudly, where readelf is not installed. */
    static String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("readelf"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.err.println("SKIPPED LOUDLY: readelf (binutils) is not installed: " + e.getMessage());
            Assumptions.abort("readelf is not installed");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.isBlank(), "readelf said nothing");
        return out;
    }
}
