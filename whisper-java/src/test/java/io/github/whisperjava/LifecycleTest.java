package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One model shared by threads; close and cancel while calls run; listener failures. */
class LifecycleTest {
    private static final float[] JFK = WavReader.read16kMono(TestData.JFK_WAV);
    private static final TranscribeParams ONE_THREAD = TranscribeParams.builder().threads(1).build();

    @Test
    void concurrentCallsOnOneModelMatchSequentialOnes() throws Exception {
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"), ModelOptions.defaults().withConcurrency(2))) {
            String expected = w.transcribe(JFK, ONE_THREAD).segments().toString();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    results.add(pool.submit(() -> w.transcribe(JFK, ONE_THREAD).segments().toString()));
                }
                for (Future<String> f : results) {
                    assertEquals(expected, f.get(120, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closeWaitsForRunningCallThenRefusesNewOnes() throws Exception {
        Whisper w = Whisper.load(TestData.forTestsModel("base"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            TestData.HeldCall running = TestData.hold(pool, w, JFK, ONE_THREAD);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(w::close);
            // the call cannot end while held, so a close that returns now freed the state under it
            assertThrows(TimeoutException.class, () -> closing.get(300, TimeUnit.MILLISECONDS),
                    "close returned while a call was still running");
            running.release();
            closing.get(60, TimeUnit.SECONDS);
            ForTestsModelsTest.assertWellFormed(running.result.get(60, TimeUnit.SECONDS)); // completed normally
            assertThrows(IllegalStateException.class, () -> w.transcribe(JFK));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeWithATimeoutReturnsWhileACallRunsAndTheCallFreesTheModel() throws Exception {
        Whisper w = Whisper.load(TestData.forTestsModel("base"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            TestData.HeldCall running = TestData.hold(pool, w, JFK, ONE_THREAD);
            assertFalse(w.closeWithin(Duration.ZERO), "closed under a running call");
            assertTrue(w.isClosed());
            assertThrows(IllegalStateException.class, () -> w.transcribe(JFK));
            running.release();
            ForTestsModelsTest.assertWellFormed(running.result.get(60, TimeUnit.SECONDS)); // it ran to its end
            assertTrue(w.closeWithin(Duration.ZERO), "the last call to return did not free the model");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancelAllStopsRunningCallsAndTheModelStaysUsable() throws Exception {
        try (Whisper w = Whisper.load(TestData.forTestsModel("base"))) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                TestData.HeldCall running = TestData.hold(pool, w, JFK, ONE_THREAD);
                w.cancelAll();
                running.release();
                Exception e = assertThrows(Exception.class, () -> running.result.get(60, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof CancellationException, e.toString());
            } finally {
                pool.shutdownNow();
            }
            // the state went back to the pool; the next call must run normally
            ForTestsModelsTest.assertWellFormed(w.transcribe(JFK, ONE_THREAD));
        }
    }

    /**
     * whisper.cpp checks for abort between encoder windows and decoder steps (not inside one encoder
     * graph), so "promptly" means: within about one encoder step, measured here on the same model.
     */
    @Test
    void timeoutCancelsWithinOneEncoderStep() {
        float[] threeWindows = TestData.repeat(JFK, 6); // 66 s: three 30 s encoder windows
        try (Whisper w = Whisper.load(TestData.forTestsModel("base"))) {
            TranscribeParams p = TranscribeParams.builder().threads(1).build();
            AtomicInteger windows = new AtomicInteger();
            TranscriptionListener countWindows = new TranscriptionListener() {
                @Override
                public void onProgress(int percent) {
                    windows.incrementAndGet(); // whisper.cpp reports progress once per window, before encoding it
                }
            };
            w.transcribe(threeWindows, p, CallOptions.none().withListener(countWindows));
            int allWindows = windows.getAndSet(0);

            long t1 = System.nanoTime();
            CancellationException e = assertThrows(CancellationException.class,
                    () -> w.transcribe(threeWindows, p.toBuilder().timeout(Duration.ofMillis(100)).build(), CallOptions.none().withListener(countWindows)));
            long cancelMs = (System.nanoTime() - t1) / 1_000_000;
            System.out.printf("a timeout of 100 ms took effect after %d ms, at window %d of %d%n", cancelMs,
                    windows.get(), allWindows);
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            // the contract, whatever the machine's speed: it stops at the next window, so no later one starts
            assertTrue(allWindows >= 3 && windows.get() <= 2,
                    "reached window " + windows.get() + " of " + allWindows + " before stopping");
            ForTestsModelsTest.assertWellFormed(w.transcribe(JFK, p)); // the state is reusable
        }
    }

    @Test
    void listenerExceptionReachesTheCallerAndIsNotFatal() {
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            IllegalStateException boom = new IllegalStateException("listener failed on purpose");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.transcribe(JFK, ONE_THREAD,
                    CallOptions.none().withListener(new TranscriptionListener() {
                        @Override
                        public void onProgress(int percent) {
                            throw boom;
                        }
                    })));
            assertEquals(boom, e);
            ForTestsModelsTest.assertWellFormed(w.transcribe(JFK, ONE_THREAD));
        }
    }

    @Test
    void closeFromInsideItsOwnListenerDoesNotDeadlock() {
        Whisper w = Whisper.load(TestData.forTestsModel("tiny"));
        Transcript t = w.transcribe(JFK, ONE_THREAD, CallOptions.none().withListener(new TranscriptionListener() {
            @Override
            public void onProgress(int percent) {
                w.close();
            }
        }));
        ForTestsModelsTest.assertWellFormed(t);
        assertTrue(w.isClosed());
        assertThrows(IllegalStateException.class, () -> w.transcribe(JFK));
    }
}
