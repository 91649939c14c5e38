package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import io.github.whisperjava.internal.CpuBudget;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One loaded model, many callers. The model is a tiny-sized fixture with random weights, so every call
 * decodes real (meaningless) text and greedy decoding makes it comparable call for call.
 */
class ConcurrencyTest {
    static final float[] JFK = WavReader.read16kMono(TestData.JFK_WAV);
    static final float[] CLIP = Arrays.copyOf(JFK, 16_000 * 5);
    /** greedy, no temperature fallback (which samples), short encoder context, bounded decoding */
    static final TranscribeParams DETERMINISTIC = TranscribeParams.builder().threads(1).temperatureIncrement(0)
            .audioContext(256).maxTokensPerSegment(16).build();
    static Path model;

    @BeforeAll
    static void fixture() {
        model = TestData.fixture("tiny", "q5_1");
    }

    static String signature(Transcript t) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : t.segments()) {
            sb.append(s.startMs()).append('-').append(s.endMs()).append(':');
            s.tokens().forEach(tok -> sb.append(tok.id()).append(','));
            sb.append('|');
        }
        return sb.toString();
    }

    @Test
    void eightThreadsTimesTwentyFiveCallsMatchSequentialCalls() throws Exception {
        try (Whisper w = Whisper.load(model)) {
            Transcript reference = w.transcribe(CLIP, DETERMINISTIC);
            assertFalse(reference.text().isEmpty(), "the random-weights fixture decoded nothing");
            String expected = signature(reference);
            assertEquals(expected, signature(w.transcribe(CLIP, DETERMINISTIC)), "not deterministic sequentially");

            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<List<String>>> threads = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    threads.add(pool.submit(() -> {
                        List<String> got = new ArrayList<>();
                        for (int i = 0; i < 25; i++) {
                            got.add(signature(w.transcribe(CLIP, DETERMINISTIC)));
                        }
                        return got;
                    }));
                }
                int calls = 0;
                for (Future<List<String>> f : threads) {
                    for (String s : f.get(600, TimeUnit.SECONDS)) {
                        assertEquals(expected, s);
                        calls++;
                    }
                }
                assertEquals(200, calls);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * whisper.cpp can end a segment before it starts on noise (seen: start 160 ms, end 140 ms on this
     * fixture); the API never returns an interval that runs backwards, for segments or tokens.
     */
    @Test
    void segmentAndTokenTimesNeverRunBackwards() {
        TranscribeParams withTokenTimes = DETERMINISTIC.toBuilder().tokenTimestamps(true).build();
        int segments = 0;
        try (Whisper w = Whisper.load(model)) {
            // The case that was seen, replayed exactly: temperature fallback samples from the state's
            // random generator, so the calls before it on the one state are part of the recipe.
            try (Whisper replay = Whisper.load(model, ModelOptions.defaults().withConcurrency(1))) {
                TranscribeParams fallback = TranscribeParams.builder().threads(2).build();
                for (int len = 1; len <= 11; len += 2) {
                    for (int off = 0; off + len * 16_000 <= JFK.length; off += 24_000) {
                        replay.transcribe(Arrays.copyOfRange(JFK, off, off + len * 16_000), fallback);
                    }
                }
                for (Segment seg : replay.transcribe(Arrays.copyOf(JFK, 16_000),
                        fallback.toBuilder().audioContext(256).build()).segments()) {
                    segments++;
                    assertTrue(seg.startMs() <= seg.endMs(), "segment runs backwards: " + seg);
                }
            }
            for (int i = 0; i < 16; i++) {
                int from = i * 16_000 / 2;
                float[] clip = Arrays.copyOfRange(JFK, from, Math.min(JFK.length, from + 16_000 * (1 + i % 5)));
                for (Segment seg : w.transcribe(clip, withTokenTimes).segments()) {
                    segments++;
                    assertTrue(seg.startMs() <= seg.endMs(), "segment runs backwards: " + seg);
                    for (Token t : seg.tokens()) {
                        assertTrue(t.startMs() < 0 || t.startMs() <= t.endMs(), "token runs backwards: " + t);
                    }
                }
            }
        }
        assertTrue(segments > 0, "the fixture decoded no segment");
    }

    /** A direct buffer is read in place; any other buffer is copied; all give the array's tokens. */
    @Test
    void floatBuffersOfEveryKindGiveTheSameTokensAsAnArray() {
        try (Whisper w = Whisper.load(model)) {
            String expected = signature(w.transcribe(CLIP, DETERMINISTIC));
            FloatBuffer direct = ByteBuffer.allocateDirect(CLIP.length * 4 + 40)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            direct.position(10).put(CLIP).position(10); // samples from position to limit
            FloatBuffer bigEndian = ByteBuffer.allocateDirect(CLIP.length * 4)
                    .order(ByteOrder.BIG_ENDIAN).asFloatBuffer().put(CLIP).flip();
            for (FloatBuffer b : List.of(direct, bigEndian, FloatBuffer.wrap(CLIP))) {
                int position = b.position();
                assertEquals(expected, signature(w.transcribe(b, DETERMINISTIC, CallOptions.none())), b.toString());
                assertEquals(position, b.position(), "the caller's position moved");
            }
            FloatBuffer nan = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder())
                    .asFloatBuffer().put(0, Float.NaN);
            assertThrows(IllegalArgumentException.class, () -> w.transcribe(nan, DETERMINISTIC, CallOptions.none()));
            assertThrows(AudioFormatException.class, () -> w.transcribe(nan.limit(0), DETERMINISTIC, CallOptions.none()));
        }
    }

    /**
     * More callers and more threads per call than there are cores: the calls share the process's CPU
     * budget, so the ggml threads running at any moment never outnumber it (oversubscribed, ggml's
     * spinning workers starve each other and throughput collapses).
     */
    @Test
    void concurrentCallsNeverRunMoreThreadsThanTheBudget() throws Exception {
        CpuBudget budget = CpuBudget.process();
        AtomicInteger peak = new AtomicInteger();
        TranscriptionListener sampler = new TranscriptionListener() {
            @Override
            public void onProgress(int percent) {
                peak.accumulateAndGet(budget.inUse(), Math::max);
            }
        };
        TranscribeParams greedy = DETERMINISTIC.toBuilder().threads(8).build();
        try (Whisper w = Whisper.load(model, ModelOptions.defaults().withConcurrency(8))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Transcript>> fs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    fs.add(pool.submit(() -> w.transcribe(CLIP, greedy, CallOptions.none().withListener(sampler))));
                }
                for (Future<Transcript> f : fs) {
                    assertFalse(f.get(300, TimeUnit.SECONDS).text().isEmpty());
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertTrue(peak.get() >= 1 && peak.get() <= budget.size(),
                "threads in use peaked at " + peak.get() + " with a budget of " + budget.size());
        assertEquals(0, budget.inUse(), "threads not given back");
    }

    @Test
    void interruptCancelsAndLeavesTheFlagSet() throws Exception {
        try (Whisper w = Whisper.load(TestData.forTestsModel("base"))) {
            float[] long3 = TestData.repeat(JFK, 6);
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    w.transcribe(long3, TranscribeParams.builder().threads(1).build(), CallOptions.none().withListener(TestData.countDownOnProgress(started)));
                } catch (Throwable e) {
                    thrown.set(e);
                }
                flag.set(Thread.currentThread().isInterrupted());
            });
            t.start();
            assertTrue(started.await(60, TimeUnit.SECONDS));
            t.interrupt();
            t.join(60_000);
            assertFalse(t.isAlive(), "interrupt did not stop the transcription");
            assertTrue(thrown.get() instanceof CancellationException, String.valueOf(thrown.get()));
            assertTrue(thrown.get().getMessage().contains("interrupted"), thrown.get().getMessage());
            assertTrue(flag.get(), "the interrupt flag was cleared");
            ForTestsModelsTest.assertWellFormed(w.transcribe(CLIP, DETERMINISTIC));
        }
    }

    @Test
    void cancellationTokenStopsOneCallOnly() throws Exception {
        try (Whisper w = Whisper.load(TestData.forTestsModel("base"), ModelOptions.defaults().withConcurrency(2))) {
            float[] long3 = TestData.repeat(JFK, 6);
            CancellationToken token = new CancellationToken();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                TestData.HeldCall victim = TestData.hold(pool, w, long3, TranscribeParams.builder().threads(1).build(),
                        token);
                Future<Transcript> bystander = pool.submit(() -> w.transcribe(CLIP, DETERMINISTIC));
                token.cancel();
                victim.release();
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> victim.result.get(60, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof CancellationException, e.toString());
                ForTestsModelsTest.assertWellFormed(bystander.get(60, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
            CancellationToken early = new CancellationToken();
            early.cancel();
            assertThrows(CancellationException.class, () -> w.transcribe(JFK, DETERMINISTIC, CallOptions.none().withCancellation(early)));
            IllegalStateException reuse = assertThrows(IllegalStateException.class,
                    () -> w.transcribe(CLIP, DETERMINISTIC, CallOptions.none().withCancellation(token)));
            assertTrue(reuse.getMessage().contains("use a new token"), reuse.getMessage());
        }
    }

    /**
     * Cancel before, during and after calls: each ends with the exact result or a CancellationException,
     * and the model stays usable. Where a cancel lands is up to the scheduler, so the first and the last
     * calls are placed on purpose (cancelled before it starts, cancelled after it returned) and the
     * random ones in between assert only the contract, never how many landed.
     */
    @Test
    void cancelAtRandomPointsNeverBreaksTheModel() throws Exception {
        try (Whisper w = Whisper.load(model, ModelOptions.defaults().withConcurrency(1))) {
            long t0 = System.nanoTime();
            String expected = signature(w.transcribe(CLIP, DETERMINISTIC));
            int callMs = (int) ((System.nanoTime() - t0) / 1_000_000);
            Random rnd = new Random(7);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            int cancelled = 0;
            int finished = 0;
            try {
                for (int i = 0; i < 22; i++) {
                    CancellationToken token = new CancellationToken();
                    if (i == 0) {
                        token.cancel();
                    }
                    Future<Transcript> f = pool.submit(() -> w.transcribe(CLIP, DETERMINISTIC, CallOptions.none().withCancellation(token)));
                    if (i == 21) {
                        f.get(60, TimeUnit.SECONDS);
                    } else if (i > 0) {
                        Thread.sleep(rnd.nextInt(2 * callMs + 1)); // before, during, or after the call
                    }
                    token.cancel();
                    try {
                        assertEquals(expected, signature(f.get(60, TimeUnit.SECONDS)));
                        finished++;
                    } catch (ExecutionException e) {
                        assertTrue(e.getCause() instanceof CancellationException, e.toString());
                        cancelled++;
                    }
                    assertEquals(expected, signature(w.transcribe(CLIP, DETERMINISTIC)));
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.println("cancel at random points: " + cancelled + " of 22 calls were cancelled, " + finished
                    + " finished");
            assertTrue(cancelled >= 1 && finished >= 1, "the placed cancels must give both outcomes");
        }
    }

    @Test
    void queueTimeoutWhenEveryStateIsBusy() throws Exception {
        try (Whisper w = Whisper.load(TestData.forTestsModel("base"), ModelOptions.defaults().withConcurrency(1))) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                TestData.HeldCall busy = TestData.hold(pool, w, JFK, TranscribeParams.builder().threads(1).build());
                assertThrows(ModelBusyException.class, () -> w.transcribe(CLIP,
                        DETERMINISTIC.toBuilder().queueTimeout(Duration.ofMillis(50)).build()));
                // a cancelled token does not queue (no queue timeout here: it would wait for the busy call,
                // which is held until released below, so returning at all proves it did not wait)
                CancellationToken cancelled = new CancellationToken();
                cancelled.cancel();
                assertThrows(CancellationException.class, () -> w.transcribe(CLIP, DETERMINISTIC, CallOptions.none().withCancellation(cancelled)));
                busy.release();
                ForTestsModelsTest.assertWellFormed(busy.result.get(120, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closeNowCancelsRunningCallsThenFrees() throws Exception {
        Whisper w = Whisper.load(TestData.forTestsModel("base"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            TestData.HeldCall running = TestData.hold(pool, w, TestData.repeat(JFK, 6),
                    TranscribeParams.builder().threads(1).build());
            CompletableFuture<Void> closing = CompletableFuture.runAsync(w::closeNow);
            while (!w.isClosed()) { // closed is set under the lock that also cancels the running calls
                Thread.sleep(1);
            }
            running.release();
            closing.get(60, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> running.result.get(60, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof CancellationException, e.toString());
            assertThrows(IllegalStateException.class, () -> w.transcribe(CLIP));
        } finally {
            pool.shutdownNow();
        }
    }
}
