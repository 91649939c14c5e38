package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.whisperjava.audio.WavReader;
import io.github.whisperjava.internal.CpuBudget;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How calls wait for one another: a call never waits for what its own thread holds, and a call waiting
 * for a busy model holds nothing another model needs.
 */
class CallNestingTest {
    static final float[] JFK = WavReader.read16kMono(TestData.JFK_WAV);

    /**
     * A listener runs on the thread of the call it listens to, which holds a whisper state and CPU
     * threads until the listener returns: a transcribe or detectLanguage from there, on any model, used
     * to wait for them forever. It is refused, and the outer call goes on.
     */
    @Test
    void aCallFromInsideAListenerIsRefusedInsteadOfWaitingForItself() throws Exception {
        TranscribeParams all = TranscribeParams.builder().threads(CpuBudget.process().size()).build();
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"));
                Whisper other = Whisper.load(TestData.forTestsModel("tiny"))) {
            List<Throwable> inner = new CopyOnWriteArrayList<>();
            TranscriptionListener callsIn = new TranscriptionListener() {
                @Override
                public void onProgress(int percent) {
                    if (!inner.isEmpty()) {
                        return;
                    }
                    for (Runnable r : List.<Runnable>of(() -> w.transcribe(JFK, all), () -> w.detectLanguage(JFK, all),
                            () -> other.transcribe(JFK, all))) {
                        try {
                            r.run();
                            inner.add(new AssertionError("a nested call returned"));
                        } catch (RuntimeException e) {
                            inner.add(e);
                        }
                    }
                }
            };
            Transcript t = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> w.transcribe(JFK, all, CallOptions.none().withListener(callsIn)),
                    "a call from inside a listener waited for its own call");
            assertEquals(11_000, t.audioDurationMs());
            assertEquals(3, inner.size(), inner.toString());
            for (Throwable e : inner) {
                assertTrue(e instanceof IllegalStateException && e.getMessage().contains("inside a listener"),
                        e.toString());
            }
            // outside a listener the same thread calls in as before
            assertEquals(11_000, w.transcribe(JFK, all).audioDurationMs());
        }
    }

    /**
     * A call queued for a model whose every state is busy used to take its CPU threads first and hold
     * them while it waited, so a call on an idle model found no thread free and timed out. The state
     * comes first now.
     */
    @Test
    void aCallQueuedForABusyModelLeavesTheCpuToAnIdleOne() throws Exception {
        int budget = CpuBudget.process().size();
        assumeTrue(budget >= 2, "needs a CPU budget of two threads or more, this JVM has " + budget);
        TranscribeParams one = TranscribeParams.builder().threads(1).build();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Whisper busy = Whisper.load(TestData.forTestsModel("tiny"), ModelOptions.defaults().withConcurrency(1));
                Whisper idle = Whisper.load(TestData.forTestsModel("tiny"))) {
            TestData.HeldCall held = TestData.hold(pool, busy, JFK,
                    TranscribeParams.builder().threads(budget - 1).build());
            Future<Transcript> queued = pool.submit(() -> busy.transcribe(JFK, one));
            Thread.sleep(1_000); // the queued call is waiting for busy's one state by now
            try {
                Transcript t = idle.transcribe(JFK, one.toBuilder().queueTimeout(Duration.ofSeconds(20)).build());
                assertEquals(11_000, t.audioDurationMs());
            } finally {
                held.release();
            }
            assertEquals(11_000, held.result.get(120, TimeUnit.SECONDS).audioDurationMs());
            assertEquals(11_000, queued.get(120, TimeUnit.SECONDS).audioDurationMs());
            assertEquals(0, CpuBudget.process().inUse(), "every thread was given back");
        } finally {
            pool.shutdownNow();
        }
    }
}
