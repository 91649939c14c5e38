package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.whisperjava.fixtures.ModelFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Where the shared test data and whisper.cpp's own tools are (paths set by the pom). */
final class TestData {
    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir", "../../shared")).toAbsolutePath().normalize();
    static final Path JFK_WAV = SHARED.resolve("audio/jfk.wav");
    static final Path JFK_TXT = SHARED.resolve("audio/jfk.txt");
    static final Path CPP_BIN = Paths.get(System.getProperty("whisper.cpp.bin", "../whisper-jni/target/cmake/whisper.cpp/bin"))
            .toAbsolutePath().normalize();

    private TestData() {}

    static Path forTestsModel(String size) {
        Path p = SHARED.resolve("models/for-tests-ggml-" + size + ".bin");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("shared test model missing: " + p + " (is ../shared beside the checkout?)");
        }
        return p;
    }

    /** Real weights: WHISPER_TEST_MODEL, else the smallest ../shared/models/ggml-*.bin. */
    static Optional<Path> realModel() {
        String env = System.getenv("WHISPER_TEST_MODEL");
        if (env != null && !env.isBlank()) {
            return Optional.of(Paths.get(env));
        }
        try (Stream<Path> files = Files.list(SHARED.resolve("models"))) {
            return files.filter(p -> p.getFileName().toString().matches("ggml-.*\\.bin"))
                    .filter(p -> !p.getFileName().toString().contains("silero"))
                    .min((a, b) -> Long.compare(size(a), size(b)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Path requireRealModel() {
        Optional<Path> m = realModel();
        if (m.isEmpty()) {
            String why = "SKIPPED LOUDLY: no real whisper weights (set WHISPER_TEST_MODEL or put ggml-<size>.bin in "
                    + SHARED.resolve("models") + "); the for-tests models carry no weights and transcribe nothing";
            System.err.println(why);
            Assumptions.abort(why);
        }
        return m.get();
    }

    /**
     * A model with the real layout of {@code size} at {@code quant} and seeded random weights
     * (see ModelFixture): it loads like the real one and decodes deterministic noise.
     */
    static Path fixture(String size, String quant) {
        return ModelFixture.generateUnchecked(size, quant,
                Paths.get(System.getProperty("whisper.fixtures.dir", "target/fixtures")), SHARED.resolve("models"),
                CPP_BIN, 42);
    }

    /** A listener that counts {@code started} down at the first progress report: "the call is running". */
    static TranscriptionListener countDownOnProgress(CountDownLatch started) {
        return new TranscriptionListener() {
            @Override
            public void onProgress(int percent) {
                started.countDown();
            }
        };
    }

    /**
     * A transcription held inside its first progress report until {@link #release()}: while held, "the
     * call is still running" is a fact the test arranged, not a race against the scheduler.
     */
    static final class HeldCall {
        final Future<Transcript> result;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        private HeldCall(ExecutorService pool, Whisper w, float[] pcm, TranscribeParams params,
                CancellationToken token) {
            TranscriptionListener holdAtFirstProgress = new TranscriptionListener() {
                @Override
                public void onProgress(int percent) {
                    if (held.getCount() == 0) {
                        return;
                    }
                    held.countDown();
                    try {
                        release.await(300, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // an interrupt is a release, and stays visible to the call
                    }
                }
            };
            result = pool.submit(() -> w.transcribe(pcm, params, CallOptions.none().withListener(holdAtFirstProgress).withCancellation(token)));
        }

        /** Waits until the call is held at its first progress report. */
        HeldCall awaitHeld() throws InterruptedException {
            if (!held.await(120, TimeUnit.SECONDS)) {
                throw new AssertionError("the transcription did not start within 120 s");
            }
            return this;
        }

        void release() {
            release.countDown();
        }
    }

    /** Submits a call that will hold at its first progress report, without waiting for it to get there. */
    static HeldCall submitHeld(ExecutorService pool, Whisper w, float[] pcm,
            TranscribeParams params, CancellationToken token) {
        return new HeldCall(pool, w, pcm, params, token);
    }

    static HeldCall hold(ExecutorService pool, Whisper w, float[] pcm, TranscribeParams params)
            throws InterruptedException {
        return new HeldCall(pool, w, pcm, params, null).awaitHeld();
    }

    static HeldCall hold(ExecutorService pool, Whisper w, float[] pcm, TranscribeParams params,
            CancellationToken token) throws InterruptedException {
        return new HeldCall(pool, w, pcm, params, token).awaitHeld();
    }

    /** {@code pcm} played {@code times} times in a row. */
    static float[] repeat(float[] pcm, int times) {
        float[] out = new float[pcm.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(pcm, 0, out, i * pcm.length, pcm.length);
        }
        return out;
    }

    static Path whisperCli() {
        Path cli = CPP_BIN.resolve("whisper-cli");
        if (!Files.isExecutable(cli)) {
            throw new IllegalStateException("whisper-cli not built at " + cli + " (run the whisper-jni build first)");
        }
        return cli;
    }

    /** {@code words} are the segments of whisper-cli's JSON {@code cliJson} that have text, in order. */
    static void assertWordsAreSegments(String cliJson, List<Word> words) throws IOException {
        // whisper-cli writes control characters raw, which a strict parser refuses
        JsonNode cli = JsonMapper.builder().enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build()
                .readTree(cliJson);
        List<String> theirs = new ArrayList<>();
        for (JsonNode s : cli.get("transcription")) {
            String text = s.get("text").asText().strip();
            if (!text.isEmpty()) { // a part before a split word's first token, when nothing came before it
                theirs.add(s.at("/offsets/from").asLong() + " --> " + s.at("/offsets/to").asLong() + " " + text);
            }
        }
        List<String> ours = words.stream().map(w -> w.startMs() + " --> " + w.endMs() + " " + w.text()).toList();
        assertFalse(theirs.isEmpty(), "whisper-cli printed no word: " + cliJson);
        assertEquals(theirs, ours);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
