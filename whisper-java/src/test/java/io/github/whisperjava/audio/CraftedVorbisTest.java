package io.github.whisperjava.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.AudioFormatException;
import io.github.whisperjava.TestJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every crafted Ogg Vorbis stream (CraftedVorbis: one per stb_vorbis bug class that anonymous uploads
 * reach) is refused with an AudioFormatException, or decoded, in a JVM of its own that then exits
 * normally: before our patches to stb_vorbis, these overflowed the heap, read address -4 or wrote past
 * arrays (cpp/tools/asan-check.sh runs {@link Probe} under AddressSanitizer).
 */
class CraftedVorbisTest {
    static final Map<String, Supplier<byte[]>> STREAMS = new LinkedHashMap<>();

    static {
        STREAMS.put("codebookSizeTruncatedToInt", CraftedVorbis::codebookSizeTruncatedToInt);
        STREAMS.put("lookupValuesOverflowInt", CraftedVorbis::lookupValuesOverflowInt);
        STREAMS.put("sixteenSubmaps", CraftedVorbis::sixteenSubmaps);
        STREAMS.put("sparseBookWithoutCodewords", CraftedVorbis::sparseBookWithoutCodewords);
        STREAMS.put("commentListCutShort", CraftedVorbis::commentListCutShort);
        STREAMS.put("setupFailingHalfWay", CraftedVorbis::setupFailingHalfWay);
    }

    @TempDir
    Path tmp;

    @Test
    void everyCraftedStreamIsRefusedOrDecodedAndTheJvmLives() throws Exception {
        String out = TestJvm.run(tmp, "crafted-vorbis", Map.of(), List.of(), Probe.class);
        for (String name : STREAMS.keySet()) {
            assertTrue(out.contains(name + ": refused") || out.contains(name + ": decoded"), name + ":\n" + out);
        }
        // the bugs these reach are in setup parsing: a stream built to reach them is no audio
        for (String name : List.of("codebookSizeTruncatedToInt", "lookupValuesOverflowInt", "commentListCutShort",
                "setupFailingHalfWay")) {
            assertTrue(out.contains(name + ": refused"), name + ":\n" + out);
        }
        assertTrue(out.contains("all crafted streams done"), out);
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err")), "the JVM crashed");
        }
    }

    /** Decodes each stream as an upload would be decoded; prints what became of it. */
    public static final class Probe {
        public static void main(String[] args) {
            for (Map.Entry<String, Supplier<byte[]>> e : STREAMS.entrySet()) {
                try {
                    float[] pcm = AudioDecoder.decode16kMono(e.getValue().get());
                    System.out.println(e.getKey() + ": decoded " + pcm.length + " samples");
                } catch (AudioFormatException x) {
                    System.out.println(e.getKey() + ": refused: " + x.getMessage());
                }
            }
            System.out.println("all crafted streams done");
        }
    }
}
