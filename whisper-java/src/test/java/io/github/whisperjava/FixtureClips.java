package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.whisperjava.audio.WavReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Finds, on the machine the test runs on, a clip of jfk.wav on which the random-weights fixture decodes
 * what a test needs (two different text tokens, two segments, a token pair to cut a character across).
 *
 * <p>What noise the fixture decodes rests on near-equal logits, and those go another way when ggml picks
 * another CPU variant (zen4 with AVX-512, haswell without, x64 anywhere): a premise that one clip gave on
 * one machine is luck on the next. So a test states its premise as a predicate and takes the first of
 * many clips that meets it here, and prints which, instead of assuming one. A test that compares the
 * library with whisper-cli on that clip stays a comparison: both run on this machine's variant.
 *
 * <p>Every clip is written as a 16-bit WAV file and read back before it is tried, so the samples the
 * premise held on are the ones whisper-cli reads from {@link Clip#wav()}.
 */
final class FixtureClips {
    /**
     * {start, length} in seconds, in the order tried: the first 5 s (what the tests were first written
     * on), then other lengths from the start, then windows further in.
     */
    private static final int[][] CLIPS = clips();

    private FixtureClips() {}

    /** A clip of jfk.wav: its samples as whisper-cli reads them from {@code wav}. */
    record Clip(int startS, int seconds, float[] audio, Path wav) {
        @Override
        public String toString() {
            return "jfk.wav [" + startS + " s, " + (startS + seconds) + " s)";
        }
    }

    /**
     * The first clip on which {@code premise} holds, written to {@code dir}; the test fails, naming the
     * premise and every clip tried, when none does.
     */
    static Clip find(Path dir, String premise, Predicate<float[]> premiseHolds) throws Exception {
        float[] jfk = WavReader.read16kMono(TestData.JFK_WAV);
        List<String> tried = new ArrayList<>();
        for (int[] c : CLIPS) {
            int from = c[0] * 16_000;
            int to = Math.min(jfk.length, from + c[1] * 16_000);
            Path wav = dir.resolve("jfk-" + c[0] + "-" + c[1] + "s.wav");
            VadTest.writeWav(wav, Arrays.copyOfRange(jfk, from, to));
            Clip clip = new Clip(c[0], c[1], WavReader.read16kMono(wav), wav);
            if (premiseHolds.test(clip.audio())) {
                System.out.printf("fixture premise \"%s\" holds on %s (after %d other clips; %s)%n", premise, clip,
                        tried.size(), Whisper.systemInfo());
                return clip;
            }
            tried.add(clip.toString());
        }
        return fail("the random-weights fixture meets the premise \"" + premise + "\" on none of " + tried.size()
                + " clips of jfk.wav on this machine (" + Whisper.systemInfo() + "): " + tried);
    }

    /** Two different text tokens (not " ", id 220), in any segments. */
    static boolean twoDifferentTextTokens(Transcript t) {
        return textTokenIds(t).stream().distinct().count() >= 2;
    }

    static List<Integer> textTokenIds(Transcript t) {
        return t.segments().stream().flatMap(s -> s.tokens().stream()).filter(x -> !x.special())
                .map(Token::id).filter(id -> id != 220).toList();
    }

    private static int[][] clips() {
        List<int[]> out = new ArrayList<>();
        for (int seconds : new int[] {5, 4, 6, 3, 7, 8, 9, 10, 11}) {
            out.add(new int[] {0, seconds});
        }
        for (int start = 1; start <= 6; start++) {
            for (int seconds : new int[] {3, 4, 5}) {
                out.add(new int[] {start, seconds});
            }
        }
        return out.toArray(new int[0][]);
    }
}
