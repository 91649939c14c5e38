package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.whisperjava.audio.WavReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** States a burst of callers needed are freed once idle, all but one; the model keeps working. */
class IdleStateTest {
    static final float[] CLIP = Arrays.copyOf(WavReader.read16kMono(TestData.JFK_WAV), 16_000);
    static final TranscribeParams ONE_THREAD = TranscribeParams.builder().threads(1).audioContext(64).build();

    /**
     * Two calls held at once: two states exist when they return. (Two, not more: each held call keeps
     * one thread of the CPU budget, which has one per core, and a third would wait for one.)
     */
    private static void burst(Whisper w, ExecutorService pool) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2,
                "SKIPPED: two calls at once need two cores of CPU budget");
        List<TestData.HeldCall> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            calls.add(TestData.hold(pool, w, CLIP, ONE_THREAD));
        }
        calls.forEach(TestData.HeldCall::release);
        for (TestData.HeldCall c : calls) {
            ForTestsModelsTest.assertWellFormed(c.result.get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void idleStatesAreFreedButOne() throws Exception {
        ModelOptions o = ModelOptions.defaults().withConcurrency(3).withIdleStateTimeout(Duration.ofMillis(300));
        try (Whisper w = Whisper.load(TestData.forTestsModel("base"), o)) {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                burst(w, pool);
                long rssBurst = LeakTest.rssKb();
                assertEquals(2, w.liveStates());
                // the evictor runs 300 ms after the oldest state went idle; a loaded machine may be slower
                for (int i = 0; i < 3000 && w.liveStates() > 1; i++) {
                    Thread.sleep(10);
                }
                assertEquals(1, w.liveStates(), "idle states were not freed");
                System.out.printf("idle states freed: resident memory %d MiB after the burst, %d MiB after "
                        + "eviction (for-tests base, 2 states -> 1)%n", rssBurst / 1024, LeakTest.rssKb() / 1024);
                ForTestsModelsTest.assertWellFormed(w.transcribe(CLIP, ONE_THREAD)); // reuses the kept one
                assertEquals(1, w.liveStates());
                burst(w, pool); // and new ones are made on demand again
                assertEquals(2, w.liveStates());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void withoutATimeoutEveryStateIsKept() throws Exception {
        ModelOptions o = ModelOptions.defaults().withConcurrency(3).withIdleStateTimeout(null);
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"), o)) {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                burst(w, pool);
                Thread.sleep(500); // nothing is scheduled at all without a timeout; this only gives it the chance
                assertEquals(2, w.liveStates());
            } finally {
                pool.shutdownNow();
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ModelOptions.defaults().withIdleStateTimeout(Duration.ZERO));
    }
}
